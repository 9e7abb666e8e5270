using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbor.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// ADR-013: the name grams lose their foreign key to Customers. A customer is never deleted, so its
    /// cascade never ran, while its trigger checked every gram of a bulk import (about half the grams' time).
    /// </summary>
    public partial class GramsWithoutForeignKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_CustomerNameGrams_Customers_CustomerId",
                table: "CustomerNameGrams");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddForeignKey(
                name: "FK_CustomerNameGrams_Customers_CustomerId",
                table: "CustomerNameGrams",
                column: "CustomerId",
                principalTable: "Customers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
