using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> builder)
    {
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Name).HasMaxLength(200);
        builder.Property(d => d.SecretHash).HasMaxLength(64);
        builder.HasIndex(d => d.Name);
        builder.Property(d => d.ConnectedInstance).HasMaxLength(64);
        builder.Property(d => d.ConnectionId).HasMaxLength(64);
        builder.HasIndex(d => d.ConnectedInstance);
        builder.Property(d => d.Labels).HasJsonConversion();
        builder.Property(d => d.Inventory).HasJsonConversion();
    }
}
