using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class MarketplaceAppConfiguration : IEntityTypeConfiguration<MarketplaceApp>
{
    public void Configure(EntityTypeBuilder<MarketplaceApp> builder)
    {
        builder.ToTable("MarketplaceApps");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasMaxLength(64);
        builder.Property(a => a.Name).HasMaxLength(100);
        builder.Property(a => a.Publisher).HasMaxLength(100);
        builder.Property(a => a.Category).HasMaxLength(50);
        builder.Property(a => a.Description).HasMaxLength(4000);
        builder.Property(a => a.IconUrl).HasMaxLength(500);
        builder.Property(a => a.Versions).HasJsonConversion();
    }
}
