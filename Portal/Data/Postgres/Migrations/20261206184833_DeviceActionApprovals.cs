using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DeviceActionApprovals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BatchId",
                table: "DeviceActions",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "QueueMinutes",
                table: "DeviceActions",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeviceActions_BatchId",
                table: "DeviceActions",
                column: "BatchId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DeviceActions_BatchId",
                table: "DeviceActions");

            migrationBuilder.DropColumn(
                name: "BatchId",
                table: "DeviceActions");

            migrationBuilder.DropColumn(
                name: "QueueMinutes",
                table: "DeviceActions");
        }
    }
}
