using System.Globalization;
using System.Resources;
using System.Text;

namespace Harbor.Web.Features.Notifications;

/// <summary>A message before it is queued: a subject and a body in one language.</summary>
public sealed record MessageText(string Subject, string Body);

/// <summary>
/// The words of emails and bot messages, from the same resources as the pages, in the recipient's
/// language. Only customer names appear: never a phone or a contact (they stay masked for most readers).
/// <c>{harbor}</c> stands for the public address, filled in at send time.
/// </summary>
public static class Messages
{
    public const string HarborLink = "{harbor}";

    private static readonly ResourceManager Resources = new("Harbor.Web.Resources.Strings", typeof(Strings).Assembly);

    public static CultureInfo CultureOf(string? name) =>
        name is not null && name.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? CultureInfo.GetCultureInfo("en") : CultureInfo.GetCultureInfo("zh-CN");

    public static string Text(CultureInfo culture, string key, params object?[] args)
    {
        var format = Resources.GetString(key, culture) ?? key;
        return args.Length == 0 ? format : string.Format(culture, format, args);
    }

    public static MessageText DueTomorrow(CultureInfo culture, IReadOnlyList<(string Name, DateOnly? DueOn)> customers)
    {
        var body = new StringBuilder().AppendLine(Text(culture, "Mail_DueTomorrow_Intro")).AppendLine();
        foreach (var (name, dueOn) in customers)
            body.AppendLine(Text(culture, "Mail_DueTomorrow_Line", name, dueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        body.AppendLine().Append(Text(culture, "Mail_Link", HarborLink + "/my-customers"));
        return new MessageText(Text(culture, "Mail_DueTomorrow_Subject", customers.Count), body.ToString());
    }

    public static MessageText ExtensionDecided(CultureInfo culture, string customerName, bool approved, int days, DateOnly? dueOn, string? comment)
    {
        var body = new StringBuilder(approved
            ? Text(culture, "Mail_ExtensionApproved_Body", customerName, days, dueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            : Text(culture, "Mail_ExtensionRejected_Body", customerName, days)).AppendLine();
        if (!string.IsNullOrWhiteSpace(comment))
            body.AppendLine(Text(culture, "Mail_Comment", comment));
        body.AppendLine().Append(Text(culture, "Mail_Link", HarborLink + "/my-customers"));
        return new MessageText(Text(culture, approved ? "Mail_ExtensionApproved_Subject" : "Mail_ExtensionRejected_Subject", customerName), body.ToString());
    }

    /// <summary>Rule 6: the customer fell due (or left its owner) before anyone decided; the release went ahead.</summary>
    public static MessageText ExtensionTooLate(CultureInfo culture, string customerName, int days)
    {
        var body = new StringBuilder(Text(culture, "Mail_ExtensionTooLate_Body", customerName, days)).AppendLine();
        body.AppendLine().Append(Text(culture, "Mail_Link", HarborLink + "/pool"));
        return new MessageText(Text(culture, "Mail_ExtensionTooLate_Subject", customerName), body.ToString());
    }

    public static MessageText CooperationDecided(CultureInfo culture, string customerName, bool approved, string? comment)
    {
        var body = new StringBuilder(Text(culture, approved ? "Mail_CooperationApproved_Body" : "Mail_CooperationRejected_Body", customerName)).AppendLine();
        if (!string.IsNullOrWhiteSpace(comment))
            body.AppendLine(Text(culture, "Mail_Comment", comment));
        body.AppendLine().Append(Text(culture, "Mail_Link", HarborLink + "/my-customers"));
        return new MessageText(Text(culture, approved ? "Mail_CooperationApproved_Subject" : "Mail_CooperationRejected_Subject", customerName), body.ToString());
    }

    /// <summary>
    /// Rule 4's publication for a group's bot: one message listing every customer, split into parts
    /// only where the provider's size limit demands it (WeCom's markdown takes 4,096 bytes).
    /// </summary>
    public static IReadOnlyList<MessageText> Publication(CultureInfo culture, DateTimeOffset localAt, IReadOnlyList<string> names, int maxBytes)
    {
        var title = Text(culture, "Bot_Published_Title", localAt.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture), names.Count);
        var footer = Text(culture, "Bot_Published_Link", HarborLink + "/pool");
        // Room for the title, the part marker, the footer and a public address of up to 200 bytes.
        var budget = maxBytes - Bytes(title) - Bytes(footer) - 64 - 200;
        var parts = new List<List<string>> { new() };
        var used = 0;
        foreach (var name in names)
        {
            var line = "- " + name;
            var size = Bytes(line) + 1;
            if (used + size > budget && parts[^1].Count > 0)
            {
                parts.Add([]);
                used = 0;
            }

            parts[^1].Add(line);
            used += size;
        }

        return [.. parts.Select((lines, i) =>
        {
            var heading = parts.Count == 1 ? title : title + " " + Text(culture, "Bot_Published_Part", i + 1, parts.Count);
            var body = new StringBuilder(heading).Append('\n').Append('\n');
            foreach (var line in lines)
                body.Append(line).Append('\n');
            body.Append('\n').Append(footer);
            return new MessageText(heading, body.ToString());
        })];
    }

    public static MessageText BotTest(CultureInfo culture) =>
        new(Text(culture, "Bot_Test_Title"), Text(culture, "Bot_Test_Body") + "\n\n" + Text(culture, "Mail_Link", HarborLink));

    public static int Bytes(string text) => Encoding.UTF8.GetByteCount(text);
}
