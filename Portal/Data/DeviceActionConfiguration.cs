using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class DeviceActionConfiguration : IEntityTypeConfiguration<DeviceAction>
{
    public void Configure(EntityTypeBuilder<DeviceAction> builder)
    {
        builder.ToTable("DeviceActions");
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => new { a.DeviceId, a.Id });
        builder.HasIndex(a => a.State);
        builder.Property(a => a.DeviceId).HasMaxLength(64);
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.DeploymentId).HasMaxLength(64);
        builder.Property(a => a.Message).HasMaxLength(2000);
        builder.Property(a => a.RequestedBy).HasMaxLength(256);
        builder.Property(a => a.BatchId).HasMaxLength(32);
        builder.HasIndex(a => a.BatchId);
    }
}
