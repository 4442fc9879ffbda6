using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class ModelConfiguration :
    IEntityTypeConfiguration<RegisteredModel>,
    IEntityTypeConfiguration<ModelVersion>,
    IEntityTypeConfiguration<ModelProfileRun>,
    IEntityTypeConfiguration<DeviceModelMetrics>
{
    public void Configure(EntityTypeBuilder<RegisteredModel> builder)
    {
        builder.ToTable("Models");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Name).HasMaxLength(64);
        builder.HasIndex(m => m.Name).IsUnique();
        builder.Property(m => m.Description).HasMaxLength(2000);
        builder.Property(m => m.Tags).HasJsonConversion();
        builder.HasMany(m => m.Versions).WithOne().HasForeignKey(v => v.ModelId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ModelVersion> builder)
    {
        builder.ToTable("ModelVersions");
        builder.HasKey(v => v.Id);
        builder.HasIndex(v => new { v.ModelId, v.Number }).IsUnique();
        builder.HasIndex(v => v.Sha256);
        builder.HasIndex(v => v.OptimizedSha256);
        builder.Property(v => v.Stage).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.ReleaseNotes).HasMaxLength(4000);
        builder.Property(v => v.FileName).HasMaxLength(255);
        builder.Property(v => v.Sha256).HasMaxLength(64);
        builder.Property(v => v.OptimizedSha256).HasMaxLength(64);
        builder.Property(v => v.Signature).HasJsonConversion();
    }

    public void Configure(EntityTypeBuilder<ModelProfileRun> builder)
    {
        builder.ToTable("ModelProfileRuns");
        builder.HasKey(p => p.Id);
        builder.HasIndex(p => new { p.ModelVersionId, p.Id });
        builder.HasIndex(p => new { p.DeviceId, p.State });
        builder.Property(p => p.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Result).HasJsonConversion();
        builder.Property(p => p.Error).HasMaxLength(1000);
        builder.Property(p => p.Sha256).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<DeviceModelMetrics> builder)
    {
        builder.ToTable("DeviceModelMetrics");
        builder.HasKey(m => new { m.DeviceId, m.Model });
        builder.HasIndex(m => m.Model);
        builder.Property(m => m.Model).HasMaxLength(64);
        builder.Property(m => m.ExecutionProvider).HasMaxLength(16);
    }
}
