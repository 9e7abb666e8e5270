using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbor.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SweepRemindersIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_Status_RemindAt",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_ToRemind",
                table: "Customers",
                columns: new[] { "Status", "RemindAt" },
                filter: "\"Status\" = 'Protected' AND (\"RemindedFor\" IS NULL OR \"RemindedFor\" <> \"DueOn\" OR \"DueOn\" IS NULL)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_ToRemind",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Status_RemindAt",
                table: "Customers",
                columns: new[] { "Status", "RemindAt" });
        }
    }
}
