using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class Alerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AlertCursors",
                columns: table => new
                {
                    Stream = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DeviceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertCursors", x => new { x.Stream, x.DeviceId });
                });

            migrationBuilder.CreateTable(
                name: "AlertRules",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Metric = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Series = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Comparison = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Threshold = table.Column<double>(type: "REAL", nullable: false),
                    ClearThreshold = table.Column<double>(type: "REAL", nullable: false),
                    ForSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    ResolveAfterSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    GroupIds = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    DeviceIds = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    ChannelIds = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConcurrencyStamp = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AlertSilences",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    RuleIds = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    GroupIds = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    DeviceIds = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertSilences", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Alerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RuleId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SubjectKind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SubjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SubjectName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DeviceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Value = table.Column<double>(type: "REAL", nullable: true),
                    Threshold = table.Column<double>(type: "REAL", nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    PendingSince = table.Column<long>(type: "INTEGER", nullable: false),
                    FiredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClearSince = table.Column<long>(type: "INTEGER", nullable: true),
                    LastObservedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FiringNotified = table.Column<bool>(type: "INTEGER", nullable: false),
                    Silenced = table.Column<bool>(type: "INTEGER", nullable: false),
                    AckedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AckedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    AckNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    OpenKey = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Alerts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Alerts_AlertRules_RuleId",
                        column: x => x.RuleId,
                        principalTable: "AlertRules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AlertRules_Name",
                table: "AlertRules",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_DeviceId_State",
                table: "Alerts",
                columns: new[] { "DeviceId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_OpenKey",
                table: "Alerts",
                column: "OpenKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_RuleId_State",
                table: "Alerts",
                columns: new[] { "RuleId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_State_FiredAt",
                table: "Alerts",
                columns: new[] { "State", "FiredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AlertSilences_EndsAt",
                table: "AlertSilences",
                column: "EndsAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlertCursors");

            migrationBuilder.DropTable(
                name: "Alerts");

            migrationBuilder.DropTable(
                name: "AlertSilences");

            migrationBuilder.DropTable(
                name: "AlertRules");
        }
    }
}
