using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Microsoft.Extensions.Localization;

namespace Harbor.Web.Components.Shared;

/// <summary>Dates as people read them, in the page's language (the patterns are resources too).</summary>
public static class Formats
{
    public static string Day(this IStringLocalizer<Strings> l, DateOnly? day) =>
        day is { } d ? d.ToString(l["Format_Day"], System.Globalization.CultureInfo.CurrentCulture) : "";

    public static string Moment(this IStringLocalizer<Strings> l, DateTimeOffset? at) =>
        at is { } a ? a.ToString(l["Format_Moment"], System.Globalization.CultureInfo.CurrentCulture) : "";

    public static string Status(this IStringLocalizer<Strings> l, CustomerStatus status) => l["Status_" + status];

    /// <summary>A configured stage has a name in the resources; a company's own stage is shown as written.</summary>
    public static string Stage(this IStringLocalizer<Strings> l, string? stage)
    {
        if (stage is null)
            return l["Stage_None"];
        var known = l["Stage_" + stage];
        return known.ResourceNotFound ? stage : known.Value;
    }

    public static string RoleName(this IStringLocalizer<Strings> l, Role role) => l["Role_" + role];
}
