using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class ModelMonitoringConfiguration :
    IEntityTypeConfiguration<DeviceModelMonitor>,
    IEntityTypeConfiguration<ModelBaseline>,
    IEntityTypeConfiguration<ModelDriftPoint>
{
    public void Configure(EntityTypeBuilder<DeviceModelMonitor> builder)
    {
        builder.ToTable("DeviceModelMonitors");
        builder.HasKey(m => new { m.DeviceId, m.Model });
        builder.Property(m => m.DeviceId).HasMaxLength(64);
        builder.Property(m => m.Model).HasMaxLength(100);
        builder.Property(m => m.Last).HasJsonConversion();
        builder.Property(m => m.Window).HasJsonConversion();
    }

    public void Configure(EntityTypeBuilder<ModelBaseline> builder)
    {
        builder.ToTable("ModelBaselines");
        builder.HasKey(b => new { b.Model, b.Version });
        builder.Property(b => b.Model).HasMaxLength(100);
        builder.Property(b => b.DeviceId).HasMaxLength(64);
        builder.Property(b => b.State).HasConversion<string>().HasMaxLength(12);
        builder.Property(b => b.Captured).HasJsonConversion();
        builder.Property(b => b.Bins).HasJsonConversion();
        builder.Property(b => b.CreatedBy).HasMaxLength(256);
    }

    public void Configure(EntityTypeBuilder<ModelDriftPoint> builder)
    {
        builder.ToTable("ModelDriftPoints");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Model).HasMaxLength(100);
        builder.Property(p => p.DeviceId).HasMaxLength(64);
        builder.Property(p => p.WorstFeature).HasMaxLength(200);
        builder.Property(p => p.Features).HasJsonConversion().HasMaxLength(16000);
        builder.HasIndex(p => new { p.Model, p.Version, p.At });
        builder.HasIndex(p => new { p.DeviceId, p.Model, p.At });
        builder.HasIndex(p => p.At);
    }
}
