using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbor.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RegistrationReviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Reviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SalespersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedById = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NameKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    PhoneKey = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    CreditCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    CreditCodeKey = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ContactName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CandidateIds = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DeciderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DuplicateOfId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Reviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Reviews_Users_SalespersonId",
                        column: x => x.SalespersonId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Reviews_CreditCodeKey",
                table: "Reviews",
                column: "CreditCodeKey",
                unique: true,
                filter: "\"Status\" = 'Pending' AND \"CreditCodeKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Reviews_NameKey",
                table: "Reviews",
                column: "NameKey",
                unique: true,
                filter: "\"Status\" = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_Reviews_PhoneKey",
                table: "Reviews",
                column: "PhoneKey",
                unique: true,
                filter: "\"Status\" = 'Pending' AND \"PhoneKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Reviews_SalespersonId_Status",
                table: "Reviews",
                columns: new[] { "SalespersonId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Reviews_Status_RequestedAt",
                table: "Reviews",
                columns: new[] { "Status", "RequestedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Reviews");
        }
    }
}
