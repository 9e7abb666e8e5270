using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbor.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RegistryDueKeyIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The master list's default order (SearchRegistry: due date, undated last, then id), as
            // EF writes it, so that a page and a keyset seek read 50 index entries, not the registry.
            // EF's model cannot express an index on an expression: it lives here only.
            migrationBuilder.Sql("""CREATE INDEX "IX_Customers_DueKey" ON "Customers" (COALESCE("DueOn", '9999-12-31'), "Id");""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_Customers_DueKey";""");
        }
    }
}
