using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbor.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// Session 8 (ADR-010, docs/benchmarks.md "Session 8, sweep5"): the history's indexes by actor and by salesperson
    /// leave out the rows without one (the sweep's two events per released customer have no actor, the publication
    /// no salesperson).
    /// </summary>
    public partial class HistoryPartialIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CustomerEvents_ActorId_At",
                table: "CustomerEvents");

            migrationBuilder.DropIndex(
                name: "IX_CustomerEvents_SalespersonId_CustomerId_Kind",
                table: "CustomerEvents");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerEvents_ActorId_At",
                table: "CustomerEvents",
                columns: new[] { "ActorId", "At" },
                filter: "\"ActorId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerEvents_SalespersonId_CustomerId_Kind",
                table: "CustomerEvents",
                columns: new[] { "SalespersonId", "CustomerId", "Kind" },
                filter: "\"SalespersonId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CustomerEvents_ActorId_At",
                table: "CustomerEvents");

            migrationBuilder.DropIndex(
                name: "IX_CustomerEvents_SalespersonId_CustomerId_Kind",
                table: "CustomerEvents");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerEvents_ActorId_At",
                table: "CustomerEvents",
                columns: new[] { "ActorId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerEvents_SalespersonId_CustomerId_Kind",
                table: "CustomerEvents",
                columns: new[] { "SalespersonId", "CustomerId", "Kind" });
        }
    }
}
