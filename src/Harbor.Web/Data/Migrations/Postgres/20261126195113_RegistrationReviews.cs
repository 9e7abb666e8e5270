using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Harbor.Web.Data.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SalespersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestedById = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    NameKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Phone = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    PhoneKey = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    CreditCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    CreditCodeKey = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ContactName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Address = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CandidateIds = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DeciderId = table.Column<Guid>(type: "uuid", nullable: true),
                    DuplicateOfId = table.Column<Guid>(type: "uuid", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
