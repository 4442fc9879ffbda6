using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class Telemetry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Telemetry",
                columns: table => new
                {
                    DeviceId = table.Column<string>(type: "TEXT", nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    CpuPercent = table.Column<double>(type: "REAL", nullable: false),
                    MemoryUsedBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    MemoryTotalBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    DiskUsedBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    DiskTotalBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    LoadAverage1m = table.Column<double>(type: "REAL", nullable: false),
                    NetworkReceivedBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    NetworkSentBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    TemperatureCelsius = table.Column<double>(type: "REAL", nullable: true),
                    GpuPercent = table.Column<double>(type: "REAL", nullable: true),
                    GpuMemoryUsedBytes = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Telemetry", x => new { x.DeviceId, x.Sequence });
                    table.ForeignKey(
                        name: "FK_Telemetry_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Telemetry_DeviceId_At",
                table: "Telemetry",
                columns: new[] { "DeviceId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Telemetry");
        }
    }
}
