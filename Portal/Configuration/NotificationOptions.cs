using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Portal.Configuration;

/// <summary>How notifications leave the portal (<c>Portal:Notifications</c>): the SMTP server, links, retries.</summary>
public sealed class NotificationOptions
{
    /// <summary>The portal's address as operators reach it: links in e-mails and payloads start here.</summary>
    [Required, Url]
    public string PortalUrl { get; set; } = "http://127.0.0.1:5000";

    [ValidateObjectMembers]
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>A webhook that has not answered in this many seconds has failed this attempt.</summary>
    [Range(1, 300)]
    public int WebhookTimeoutSeconds { get; set; } = 10;

    /// <summary>The wait before the first retry; each next one waits three times longer (up to <see cref="RetryMaxMinutes"/>).</summary>
    [Range(1, 3600)]
    public int RetryBaseSeconds { get; set; } = 10;

    [Range(1, 24 * 60)]
    public int RetryMaxMinutes { get; set; } = 60;

    /// <summary>Attempts before a delivery is given up as Failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How long the delivery log (and fanned-out fleet events) is kept.</summary>
    [Range(1, 3650)]
    public int DeliveryRetentionDays { get; set; } = 30;
}

/// <summary>The SMTP server e-mail channels send through (<c>Portal:Notifications:Smtp</c>). No host: e-mail channels fail with that reason.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary><c>StartTls</c> (the default), <c>SslOnConnect</c>, <c>Auto</c>, or <c>None</c> (plain text: only for a relay on the same machine).</summary>
    [AllowedValues("None", "StartTls", "SslOnConnect", "Auto", ErrorMessage = "Portal:Notifications:Smtp:Security must be None, StartTls, SslOnConnect or Auto.")]
    public string Security { get; set; } = "StartTls";

    /// <summary>Empty: no authentication.</summary>
    public string UserName { get; set; } = "";

    /// <summary>Better given as the environment variable Portal__Notifications__Smtp__Password.</summary>
    public string Password { get; set; } = "";

    [Required]
    public string From { get; set; } = "Edge AI Portal <portal@localhost>";

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;
}
