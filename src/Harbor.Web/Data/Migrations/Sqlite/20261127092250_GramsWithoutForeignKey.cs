using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbor.Web.Data.Migrations.Sqlite
{
    /// <summary>
    /// ADR-013: the name grams lose their foreign key to Customers, and on SQLite become a WITHOUT ROWID
    /// table, the (Gram, CustomerId) key being the table itself (one B-tree fewer per gram). EF Core has no
    /// API for WITHOUT ROWID, so the table is rebuilt here by hand instead of by EF's own rebuild (which
    /// DropForeignKey asks for on SQLite); a later EF rebuild of this table would make it a rowid table
    /// again, which NameGramSchemaTests catches.
    /// </summary>
    public partial class GramsWithoutForeignKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_CustomerNameGrams" (
                    "Gram" TEXT NOT NULL,
                    "CustomerId" TEXT NOT NULL,
                    CONSTRAINT "PK_CustomerNameGrams" PRIMARY KEY ("Gram", "CustomerId")
                ) WITHOUT ROWID;
                """);
            migrationBuilder.Sql("""INSERT INTO "ef_temp_CustomerNameGrams" ("Gram", "CustomerId") SELECT "Gram", "CustomerId" FROM "CustomerNameGrams";""");
            migrationBuilder.Sql("""DROP TABLE "CustomerNameGrams";""");
            migrationBuilder.Sql("""ALTER TABLE "ef_temp_CustomerNameGrams" RENAME TO "CustomerNameGrams";""");
            migrationBuilder.Sql("""CREATE INDEX "IX_CustomerNameGrams_CustomerId" ON "CustomerNameGrams" ("CustomerId");""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_CustomerNameGrams" (
                    "Gram" TEXT NOT NULL,
                    "CustomerId" TEXT NOT NULL,
                    CONSTRAINT "PK_CustomerNameGrams" PRIMARY KEY ("Gram", "CustomerId"),
                    CONSTRAINT "FK_CustomerNameGrams_Customers_CustomerId" FOREIGN KEY ("CustomerId") REFERENCES "Customers" ("Id") ON DELETE CASCADE
                );
                """);
            migrationBuilder.Sql("""INSERT INTO "ef_temp_CustomerNameGrams" ("Gram", "CustomerId") SELECT "Gram", "CustomerId" FROM "CustomerNameGrams";""");
            migrationBuilder.Sql("""DROP TABLE "CustomerNameGrams";""");
            migrationBuilder.Sql("""ALTER TABLE "ef_temp_CustomerNameGrams" RENAME TO "CustomerNameGrams";""");
            migrationBuilder.Sql("""CREATE INDEX "IX_CustomerNameGrams_CustomerId" ON "CustomerNameGrams" ("CustomerId");""");
        }
    }
}
