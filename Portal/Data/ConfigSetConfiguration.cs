using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class ConfigSetConfiguration : IEntityTypeConfiguration<ConfigSet>
{
    public void Configure(EntityTypeBuilder<ConfigSet> builder)
    {
        builder.ToTable("ConfigSets");
        builder.HasKey(c => new { c.Level, c.OwnerId });
        builder.Property(c => c.Level).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.OwnerId).HasMaxLength(64);
        builder.Property(c => c.Values).HasJsonConversion();
        builder.Property(c => c.Files).HasJsonConversion();
    }
}
