using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class ModelMetricAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "BaseAt",
                table: "DeviceModelMetrics",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "BaseErrors",
                table: "DeviceModelMetrics",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "BaseRequests",
                table: "DeviceModelMetrics",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "LastRequestAt",
                table: "DeviceModelMetrics",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ModelMetric",
                table: "AlertRules",
                type: "TEXT",
                maxLength: 30,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BaseAt",
                table: "DeviceModelMetrics");

            migrationBuilder.DropColumn(
                name: "BaseErrors",
                table: "DeviceModelMetrics");

            migrationBuilder.DropColumn(
                name: "BaseRequests",
                table: "DeviceModelMetrics");

            migrationBuilder.DropColumn(
                name: "LastRequestAt",
                table: "DeviceModelMetrics");

            migrationBuilder.DropColumn(
                name: "ModelMetric",
                table: "AlertRules");
        }
    }
}
