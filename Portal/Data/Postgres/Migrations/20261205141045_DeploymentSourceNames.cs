using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DeploymentSourceNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "AppName",
                table: "Deployments",
                newName: "SourceName");

            migrationBuilder.RenameColumn(
                name: "AppId",
                table: "Deployments",
                newName: "SourceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "SourceName",
                table: "Deployments",
                newName: "AppName");

            migrationBuilder.RenameColumn(
                name: "SourceId",
                table: "Deployments",
                newName: "AppId");
        }
    }
}
