using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Shared.DeviceData;

namespace Portal.Data;

internal sealed class DeviceDataRecordConfiguration : IEntityTypeConfiguration<DeviceDataRecord>
{
    public void Configure(EntityTypeBuilder<DeviceDataRecord> builder)
    {
        builder.ToTable("DeviceData");
        builder.HasKey(t => new { t.DeviceId, t.Sequence });
        builder.Property(t => t.Series).HasMaxLength(DeviceDataPoint.MaxNameLength);
        builder.HasIndex(t => new { t.DeviceId, t.Series, t.At });
        builder.HasIndex(t => t.At);
        builder.HasOne<Device>().WithMany().HasForeignKey(t => t.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DeviceDataMinuteConfiguration : IEntityTypeConfiguration<DeviceDataMinute>
{
    public void Configure(EntityTypeBuilder<DeviceDataMinute> builder)
    {
        builder.ToTable("DeviceDataMinutes");
        builder.HasKey(t => new { t.DeviceId, t.Series, t.Minute });
        builder.Property(t => t.Series).HasMaxLength(DeviceDataPoint.MaxNameLength);
        builder.HasIndex(t => t.Minute);
        builder.HasOne<Device>().WithMany().HasForeignKey(t => t.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DeviceDataSeriesRowConfiguration : IEntityTypeConfiguration<DeviceDataSeriesRow>
{
    public void Configure(EntityTypeBuilder<DeviceDataSeriesRow> builder)
    {
        builder.ToTable("DeviceDataSeries");
        builder.HasKey(t => new { t.DeviceId, t.Series });
        builder.Property(t => t.Series).HasMaxLength(DeviceDataPoint.MaxNameLength);
        builder.Property(t => t.Flow).HasMaxLength(DeviceDataPoint.MaxNameLength);
        builder.Property(t => t.Unit).HasMaxLength(DeviceDataPoint.MaxUnitLength);
        builder.HasOne<Device>().WithMany().HasForeignKey(t => t.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}
