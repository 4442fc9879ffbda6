using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class ConfigSecretConfiguration : IEntityTypeConfiguration<ConfigSecret>
{
    public void Configure(EntityTypeBuilder<ConfigSecret> builder)
    {
        builder.ToTable("ConfigSecrets");
        builder.HasKey(s => new { s.Level, s.OwnerId, s.Name });
        builder.Property(s => s.Level).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.OwnerId).HasMaxLength(64);
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.Property(s => s.Server).HasMaxLength(255);
        builder.Property(s => s.Username).HasMaxLength(255);
    }
}
