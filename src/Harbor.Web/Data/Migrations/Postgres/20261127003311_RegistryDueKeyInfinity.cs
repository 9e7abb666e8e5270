using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbor.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// The registry orders undated customers last with <c>COALESCE("DueOn", DateOnly.MaxValue)</c>,
    /// and Npgsql writes DateOnly.MaxValue as <c>DATE 'infinity'</c>, not <c>'9999-12-31'</c>: the
    /// index of RegistryDueKeyIndex never matched EF's query, and every page sorted the whole table
    /// (62 ms for page 41 of 100,000 customers, against 2 ms through the index). The index now says
    /// what EF writes; a test checks that the page's plan uses it. It also carries "DueOn" itself:
    /// PostgreSQL reads a query's columns, not its expressions, from an index, so without it every
    /// row an offset skips was fetched from the table (8 ms for page 100, 0.6 ms index-only).
    /// </summary>
    public partial class RegistryDueKeyInfinity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_Customers_DueKey";""");
            migrationBuilder.Sql("""CREATE INDEX "IX_Customers_DueKey" ON "Customers" (COALESCE("DueOn", DATE 'infinity'), "Id") INCLUDE ("DueOn");""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_Customers_DueKey";""");
            migrationBuilder.Sql("""CREATE INDEX "IX_Customers_DueKey" ON "Customers" (COALESCE("DueOn", DATE '9999-12-31'), "Id");""");
        }
    }
}
