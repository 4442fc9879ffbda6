using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class TelemetryMinutes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TelemetryMinutes",
                columns: table => new
                {
                    DeviceId = table.Column<string>(type: "TEXT", nullable: false),
                    Minute = table.Column<long>(type: "INTEGER", nullable: false),
                    Samples = table.Column<int>(type: "INTEGER", nullable: false),
                    CpuPercentAvg = table.Column<double>(type: "REAL", nullable: false),
                    CpuPercentMax = table.Column<double>(type: "REAL", nullable: false),
                    MemoryUsedBytesAvg = table.Column<long>(type: "INTEGER", nullable: false),
                    MemoryTotalBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    DiskUsedBytesAvg = table.Column<long>(type: "INTEGER", nullable: false),
                    DiskTotalBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    LoadAverage1mAvg = table.Column<double>(type: "REAL", nullable: false),
                    NetworkReceivedBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    NetworkSentBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    TemperatureCelsiusMax = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TelemetryMinutes", x => new { x.DeviceId, x.Minute });
                    table.ForeignKey(
                        name: "FK_TelemetryMinutes_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TelemetryMinutes_Minute",
                table: "TelemetryMinutes",
                column: "Minute");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TelemetryMinutes");
        }
    }
}
