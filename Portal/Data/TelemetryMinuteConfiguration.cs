using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class TelemetryMinuteConfiguration : IEntityTypeConfiguration<TelemetryMinute>
{
    public void Configure(EntityTypeBuilder<TelemetryMinute> builder)
    {
        builder.ToTable("TelemetryMinutes");
        builder.HasKey(t => new { t.DeviceId, t.Minute });
        builder.HasIndex(t => t.Minute);
        builder.HasOne<Device>().WithMany().HasForeignKey(t => t.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}
