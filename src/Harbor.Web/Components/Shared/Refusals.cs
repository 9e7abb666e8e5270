using Harbor.Domain.Policy;
using Microsoft.Extensions.Localization;

namespace Harbor.Web.Components.Shared;

/// <summary>A use case's named refusal, said to a person in their language.</summary>
public static class Refusals
{
    public static string Describe(IStringLocalizer<Strings> l, Refusal refusal) => refusal switch
    {
        Refusal.CustomerTaken { Holder: { } holder, DueOn: { } due } => l["Refusal_TakenBy", holder.DisplayName, holder.Group ?? l["NoGroup"], l.Day(due)],
        Refusal.CustomerTaken { Holder: { } holder } => l["Refusal_TakenByNoDue", holder.DisplayName, holder.Group ?? l["NoGroup"]],
        Refusal.CustomerTaken { PublishAt: { } publishAt } => l["Refusal_PendingPublication", l.Moment(publishAt)],
        Refusal.CustomerTaken => l["Refusal_Taken"],
        Refusal.InPool => l["Refusal_InPool"],
        Refusal.QuotaFull full => l["Refusal_QuotaFull", full.SlotLimit],
        Refusal.NotYourCustomer => l["Refusal_NotYours"],
        Refusal.NotProtected => l["Refusal_NotProtected"],
        Refusal.NotFound => l["Refusal_NotFound"],
        Refusal.Forbidden => l["Refusal_Forbidden"],
        Refusal.AlreadyExists exists => l["Refusal_AlreadyExists_" + exists.Field],
        Refusal.ValidationFailed => l["Refusal_Invalid"],
        Refusal.CoolDown coolDown => l["Refusal_CoolDown", l.Moment(coolDown.Until)],
        Refusal.AlreadyClaimed => l["Refusal_AlreadyClaimed"],
        Refusal.NotPublished { PublishAt: { } publishAt } => l["Refusal_NotPublishedAt", l.Moment(publishAt)],
        Refusal.NotPublished => l["Refusal_NotPublished"],
        Refusal.AlreadyDecided => l["Refusal_AlreadyDecided"],
        Refusal.TooLate => l["Refusal_TooLate"],
        Refusal.RequiresDirector director => l["Refusal_RequiresDirector", director.Days],
        Refusal.ExtensionLimit limit => l["Refusal_ExtensionLimit", limit.PerMonth],
        Refusal.CustomerMerged => l["Refusal_CustomerMerged"],
        Refusal.MergeOwnersDiffer => l["Refusal_MergeOwnersDiffer"],
        Refusal.MergeSignedAway => l["Refusal_MergeSignedAway"],
        _ => l["Refusal_Other"],
    };

    /// <summary>The message for one field of a validation refusal, if the refusal names it.</summary>
    public static string? FieldError(IStringLocalizer<Strings> l, Refusal? refusal, string field) =>
        refusal is Refusal.ValidationFailed invalid && invalid.Errors.ContainsKey(field) ? l["Invalid_" + field].Value : null;
}
