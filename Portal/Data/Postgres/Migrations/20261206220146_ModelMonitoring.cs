using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Portal.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ModelMonitoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Model",
                table: "AlertRules",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DeviceModelMonitors",
                columns: table => new
                {
                    DeviceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Last = table.Column<string>(type: "text", nullable: false),
                    Window = table.Column<string>(type: "text", nullable: false),
                    WindowStartAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeviceModelMonitors", x => new { x.DeviceId, x.Model });
                });

            migrationBuilder.CreateTable(
                name: "ModelBaselines",
                columns: table => new
                {
                    Model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    DeviceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TargetRequests = table.Column<int>(type: "integer", nullable: false),
                    Captured = table.Column<string>(type: "text", nullable: false),
                    Bins = table.Column<string>(type: "text", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReadyAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModelBaselines", x => new { x.Model, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "ModelDriftPoints",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    DeviceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    MaxPsi = table.Column<double>(type: "double precision", nullable: false),
                    WorstFeature = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Requests = table.Column<long>(type: "bigint", nullable: false),
                    Features = table.Column<string>(type: "character varying(16000)", maxLength: 16000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModelDriftPoints", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ModelDriftPoints_At",
                table: "ModelDriftPoints",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_ModelDriftPoints_DeviceId_Model_At",
                table: "ModelDriftPoints",
                columns: new[] { "DeviceId", "Model", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_ModelDriftPoints_Model_Version_At",
                table: "ModelDriftPoints",
                columns: new[] { "Model", "Version", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeviceModelMonitors");

            migrationBuilder.DropTable(
                name: "ModelBaselines");

            migrationBuilder.DropTable(
                name: "ModelDriftPoints");

            migrationBuilder.DropColumn(
                name: "Model",
                table: "AlertRules");
        }
    }
}
