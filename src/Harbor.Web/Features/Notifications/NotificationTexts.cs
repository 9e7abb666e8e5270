using System.Globalization;
using System.Text.Json.Nodes;
using Harbor.Domain.Cooperation;
using Harbor.Web.Components.Shared;
using Harbor.Web.Data;
using Microsoft.Extensions.Localization;

namespace Harbor.Web.Features.Notifications;

/// <summary>
/// A notification said to a person in their language. The stored payload is data (names, dates,
/// days), never a sentence, so the same notification reads in Chinese or English.
/// </summary>
public static class NotificationTexts
{
    public static string Describe(IStringLocalizer<Strings> l, JsonObject item)
    {
        var customer = Text(item, "customerName") ?? "";
        return Text(item, "kind") switch
        {
            NotificationKinds.DueTomorrow => l["Notice_DueTomorrow", customer, l.Moment(Moment(item, "releaseAt"))],
            NotificationKinds.Published => l["Notice_Published", Number(item, "count") ?? 0, l.Moment(Moment(item, "publishedAt")), PublishedNames(item)],
            NotificationKinds.ExtensionRequested => l["Notice_ExtensionRequested", Text(item, "salesperson") ?? "", customer, Number(item, "days") ?? 0, Text(item, "reason") ?? ""],
            NotificationKinds.ExtensionDecided when Bool(item, "approved") =>
                l["Notice_ExtensionApproved", customer, Number(item, "days") ?? 0, l.Day(Day(item, "dueOn"))] + Comment(l, item),
            NotificationKinds.ExtensionDecided => l["Notice_ExtensionRejected", customer, Number(item, "days") ?? 0] + Comment(l, item),
            NotificationKinds.ExtensionTooLate => l["Notice_ExtensionTooLate", Number(item, "days") ?? 0],
            NotificationKinds.CooperationProposed => l["Notice_CooperationProposed", customer, Text(item, "partner") ?? "", Number(item, "sharePercent") ?? 0],
            NotificationKinds.CooperationDecided => l["Notice_CooperationDecided", customer, l["Cooperation_Status_" + CooperationStatusOf(item)]] + Comment(l, item),
            NotificationKinds.RegistrationReviewed when Bool(item, "approved") => l["Notice_RegistrationApproved", customer],
            NotificationKinds.RegistrationReviewed => l["Notice_RegistrationRejected", customer],
            _ => l["Notice_Other"],
        };
    }

    /// <summary>
    /// Where a notification leads: the page on which to act on it. A notice about one of the
    /// reader's customers opens that customer's page, where the follow-up, the extension and the
    /// history are; a rejected registration has no customer of theirs, so it opens their sheet.
    /// </summary>
    public static string? Link(JsonObject item) => Text(item, "kind") switch
    {
        NotificationKinds.Published => "/pool",
        NotificationKinds.ExtensionRequested or NotificationKinds.CooperationProposed => "/approvals",
        NotificationKinds.DueTomorrow or NotificationKinds.ExtensionDecided or NotificationKinds.CooperationDecided
            or NotificationKinds.RegistrationReviewed when CustomerId(item) is { } customerId => $"/customers/{customerId}",
        NotificationKinds.CooperationDecided => "/cooperations",
        NotificationKinds.DueTomorrow or NotificationKinds.ExtensionDecided or NotificationKinds.ExtensionTooLate
            or NotificationKinds.RegistrationReviewed => "/my-customers",
        _ => null,
    };

    private static Guid? CustomerId(JsonObject item) => Guid.TryParse(Text(item, "customerId"), out var id) ? id : null;

    public static Guid Id(JsonObject item) =>
        item["id"] is JsonValue value && value.TryGetValue<Guid>(out var id) ? id : Guid.Parse(Text(item, "id")!);

    public static bool IsRead(JsonObject item) => Bool(item, "read");

    public static DateTimeOffset? CreatedAt(JsonObject item) => Moment(item, "createdAt");

    private static string PublishedNames(JsonObject item)
    {
        var names = (item["customers"] as JsonArray ?? []).OfType<JsonObject>().Select(c => Text(c, "name")).OfType<string>().Take(5).ToList();
        var count = Number(item, "count") ?? names.Count;
        return string.Join("、", names) + (count > names.Count ? " …" : "");
    }

    // The payload holds the status as the enum's number or name, whichever the writer used.
    private static string CooperationStatusOf(JsonObject item) =>
        item["status"] is JsonValue value && value.TryGetValue<int>(out var number)
            ? ((CooperationStatus)number).ToString().ToLowerInvariant()
            : (Text(item, "status") ?? "").Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();

    private static string Comment(IStringLocalizer<Strings> l, JsonObject item) =>
        Text(item, "comment") is { Length: > 0 } comment ? l["Notice_Comment", comment] : "";

    private static string? Text(JsonObject item, string name) =>
        item[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : item[name]?.ToString();

    private static int? Number(JsonObject item, string name) =>
        item[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    private static bool Bool(JsonObject item, string name) =>
        item[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    private static DateTimeOffset? Moment(JsonObject item, string name) =>
        item[name] is JsonValue value && (value.TryGetValue<DateTimeOffset>(out var at)
            || DateTimeOffset.TryParse(Text(item, name), CultureInfo.InvariantCulture, DateTimeStyles.None, out at)) ? at : null;

    private static DateOnly? Day(JsonObject item, string name) =>
        DateOnly.TryParse(Text(item, name), CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
