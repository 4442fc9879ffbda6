using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
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
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DeviceModelMonitors",
                columns: table => new
                {
                    DeviceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Last = table.Column<string>(type: "TEXT", nullable: false),
                    Window = table.Column<string>(type: "TEXT", nullable: false),
                    WindowStartAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeviceModelMonitors", x => new { x.DeviceId, x.Model });
                });

            migrationBuilder.CreateTable(
                name: "ModelBaselines",
                columns: table => new
                {
                    Model = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    DeviceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TargetRequests = table.Column<int>(type: "INTEGER", nullable: false),
                    Captured = table.Column<string>(type: "TEXT", nullable: false),
                    Bins = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReadyAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModelBaselines", x => new { x.Model, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "ModelDriftPoints",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Model = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    DeviceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    MaxPsi = table.Column<double>(type: "REAL", nullable: false),
                    WorstFeature = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Requests = table.Column<long>(type: "INTEGER", nullable: false),
                    Features = table.Column<string>(type: "TEXT", maxLength: 16000, nullable: false)
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
