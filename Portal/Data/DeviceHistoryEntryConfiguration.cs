using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class DeviceHistoryEntryConfiguration : IEntityTypeConfiguration<DeviceHistoryEntry>
{
    public void Configure(EntityTypeBuilder<DeviceHistoryEntry> builder)
    {
        builder.ToTable("DeviceHistory");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.What).HasMaxLength(200);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(e => new { e.DeviceId, e.At });
        builder.HasOne<Device>().WithMany().HasForeignKey(e => e.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}
