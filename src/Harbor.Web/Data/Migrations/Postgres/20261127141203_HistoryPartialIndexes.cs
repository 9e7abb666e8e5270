using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbor.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// Session 8 (ADR-010, docs/benchmarks.md "Session 8, sweep5"): the history's indexes by actor and by salesperson
    /// leave out the rows without one (the sweep's two events per released customer have no actor, the publication
    /// no salesperson); and PostgreSQL learns that a customer's status and release time go together.
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

            // The release's pick (Status = 'Protected' AND ReleaseAt <= now ORDER BY ReleaseAt LIMIT n): PostgreSQL
            // multiplied the two conditions' selectivities as if independent, while a release time belongs to protections
            // only, and estimated 1,481 rows for 10,000 due; from about 1,000 rows a batch it then read every
            // due row through a bitmap and sorted them, each batch (10-36 ms against 1 ms). A list of the most common
            // (Status, ReleaseAt) pairs gives the estimate (10,093): every protection due at one 10:00 shares that
            // instant. Functional dependencies do not serve a range condition (measured: 1,534). No EF API for it.
            // ANALYZE so that it holds from now on; autovacuum's analyses keep it up to date with the table's.
            migrationBuilder.Sql("CREATE STATISTICS \"ST_Customers_Status_ReleaseAt\" (mcv) ON \"Status\", \"ReleaseAt\" FROM \"Customers\";");
            migrationBuilder.Sql("ANALYZE \"Customers\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP STATISTICS IF EXISTS \"ST_Customers_Status_ReleaseAt\";");

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
