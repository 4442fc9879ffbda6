using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class ConfigRolloutConfiguration : IEntityTypeConfiguration<ConfigRollout>
{
    public void Configure(EntityTypeBuilder<ConfigRollout> builder)
    {
        builder.ToTable("ConfigRollouts");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(64);
        builder.Property(r => r.Level).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.OwnerId).HasMaxLength(64);
        builder.Property(r => r.OwnerName).HasMaxLength(200);
        builder.Property(r => r.Change).HasMaxLength(4000);
        builder.Property(r => r.CreatedBy).HasMaxLength(256);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.StateReason).HasMaxLength(1000);
        builder.Property(r => r.Strategy).HasJsonConversion();
        builder.Property(r => r.PreviousValues).HasJsonConversion();
        builder.Property(r => r.PreviousFiles).HasJsonConversion();
        builder.Property(r => r.Targets).HasJsonConversion();
        builder.Property(r => r.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(r => r.State);
        builder.HasIndex(r => new { r.Level, r.OwnerId });
    }
}
