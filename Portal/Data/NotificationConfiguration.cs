using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data;

internal sealed class NotificationConfiguration :
    IEntityTypeConfiguration<NotificationChannel>,
    IEntityTypeConfiguration<FleetEventRecord>,
    IEntityTypeConfiguration<NotificationDelivery>,
    IEntityTypeConfiguration<NotificationAttempt>
{
    public void Configure(EntityTypeBuilder<NotificationChannel> builder)
    {
        builder.ToTable("NotificationChannels");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(32);
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.HasIndex(c => c.Name).IsUnique();
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.EmailTo).HasJsonConversion().HasMaxLength(4000);
        builder.Property(c => c.WebhookUrl).HasMaxLength(2000);
        builder.Property(c => c.Mqtt).HasJsonConversion().HasMaxLength(2000);
        builder.Property(c => c.ProtectedSecret).HasMaxLength(4000);
        builder.Property(c => c.EventTypes).HasJsonConversion().HasMaxLength(2000);
        builder.Property(c => c.ConcurrencyStamp).HasMaxLength(32).IsConcurrencyToken();
    }

    public void Configure(EntityTypeBuilder<FleetEventRecord> builder)
    {
        builder.ToTable("FleetEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.Property(e => e.Subject).HasMaxLength(100);
        builder.Property(e => e.SubjectName).HasMaxLength(200);
        builder.Property(e => e.Data).HasMaxLength(8000);
        builder.HasIndex(e => new { e.FannedOutAt, e.Id });
        builder.HasIndex(e => e.At);
    }

    public void Configure(EntityTypeBuilder<NotificationDelivery> builder)
    {
        builder.ToTable("NotificationDeliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.ChannelId).HasMaxLength(32);
        builder.HasOne<NotificationChannel>().WithMany().HasForeignKey(d => d.ChannelId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(d => d.SourceKey).HasMaxLength(120);
        builder.HasIndex(d => new { d.ChannelId, d.SourceKey }).IsUnique();
        builder.Property(d => d.EventType).HasMaxLength(64);
        builder.Property(d => d.Subject).HasMaxLength(300);
        builder.Property(d => d.Text).HasMaxLength(8000);
        builder.Property(d => d.Payload).HasMaxLength(16000);
        builder.Property(d => d.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.LastError).HasMaxLength(1000);
        builder.HasIndex(d => new { d.State, d.NextAttemptAt });
        builder.HasIndex(d => new { d.ChannelId, d.Id });
        builder.HasIndex(d => d.CreatedAt);
        builder.HasMany(d => d.AttemptLog).WithOne().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<NotificationAttempt> builder)
    {
        builder.ToTable("NotificationAttempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Error).HasMaxLength(1000);
        builder.HasIndex(a => a.DeliveryId);
    }
}
