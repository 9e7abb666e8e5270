using System.Diagnostics;
using Harbor.Domain.Policy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Harbor.Web.Http;

/// <summary>
/// RFC 9457 problem+json with a stable top-level <c>code</c>: one refusal, one code, one status.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult From(Refusal refusal)
    {
        var (status, title, extensions) = Describe(refusal);
        var problem = Create(status, refusal.Code, title, null);
        foreach (var (key, value) in extensions)
            problem.Extensions[key] = value;
        return TypedResults.Problem(problem);
    }

    public static ProblemDetails Create(int status, string code, string title, string? detail)
    {
        var problem = new ProblemDetails
        {
            Type = $"https://harbor.invalid/problems/{code}",
            Title = title,
            Status = status,
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        return problem;
    }

    /// <summary>For places outside an endpoint (authentication, the exception handler).</summary>
    public static Task Write(HttpContext context, int status, string code, string title, IDictionary<string, object?>? extensions = null)
    {
        var problem = Create(status, code, title, null);
        if (extensions is not null)
            foreach (var (key, value) in extensions)
                problem.Extensions[key] = value;
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
    }

    private static (int Status, string Title, IEnumerable<KeyValuePair<string, object?>> Extensions) Describe(Refusal refusal) => refusal switch
    {
        Refusal.CustomerTaken taken => (StatusCodes.Status409Conflict, "The master registry already has this customer.", Pairs(
            ("customerId", taken.CustomerId),
            ("status", taken.Status),
            ("holder", taken.Holder is null ? null : new { taken.Holder.DisplayName, group = taken.Holder.Group }),
            ("dueOn", taken.DueOn),
            ("publishAt", taken.PublishAt))),
        Refusal.InPool inPool => (StatusCodes.Status409Conflict, "This customer is in the public pool: claim it there.", Pairs(("customerId", inPool.CustomerId))),
        Refusal.QuotaFull full => (StatusCodes.Status409Conflict, "Every protection slot is in use: give one customer up in the same step.", Pairs(("slotLimit", full.SlotLimit))),
        Refusal.NotYourCustomer mine => (StatusCodes.Status403Forbidden, "This customer is not yours.", Pairs(("customerId", mine.CustomerId))),
        Refusal.NotProtected notProtected => (StatusCodes.Status409Conflict, "Only a protected customer can be given up.", Pairs(("customerId", notProtected.CustomerId), ("status", notProtected.Status))),
        Refusal.NotFound missing => (StatusCodes.Status404NotFound, $"No such {missing.What}.", []),
        Refusal.Forbidden forbidden => (StatusCodes.Status403Forbidden, forbidden.Reason, []),
        Refusal.AlreadyExists exists => (StatusCodes.Status409Conflict, $"That {exists.Field} is already in use.", Pairs(("field", exists.Field))),
        Refusal.ValidationFailed invalid => (StatusCodes.Status400BadRequest, "The request is not valid.", Pairs(("errors", invalid.Errors))),
        Refusal.CoolDown coolDown => (StatusCodes.Status409Conflict, "You gave this customer up or lost it recently: you cannot take it back yet.", Pairs(("customerId", coolDown.CustomerId), ("until", coolDown.Until))),
        Refusal.ExtensionLimit limit => (StatusCodes.Status409Conflict, "You have used this month's extension request.", Pairs(("perMonth", limit.PerMonth))),
        Refusal.RequiresDirector director => (StatusCodes.Status403Forbidden, "More days than a manager may approve: a director decides.", Pairs(("days", director.Days))),
        Refusal.AlreadyDecided decided => (StatusCodes.Status409Conflict, "This request was already decided.", Pairs(("id", decided.Id), ("status", decided.Status))),
        Refusal.TooLate late => (StatusCodes.Status409Conflict, "The customer fell due before the decision: the release went ahead.", Pairs(("id", late.Id))),
        Refusal.CustomerMerged merged => (StatusCodes.Status409Conflict, "This customer was merged into another: act on that one.",
            Pairs(("customerId", merged.CustomerId), ("intoCustomerId", merged.IntoCustomerId))),
        Refusal.MergeOwnersDiffer owners => (StatusCodes.Status409Conflict,
            "A merge never moves or ends a protection: the customer merged away is held by someone other than the kept customer's owner. Settle who holds it first (the earlier registration wins), or merge the other way.",
            Pairs(("customerId", owners.CustomerId), ("ownerId", owners.OwnerId), ("intoCustomerId", owners.IntoCustomerId), ("intoOwnerId", owners.IntoOwnerId))),
        Refusal.MergeSignedAway signed => (StatusCodes.Status409Conflict, "A signed customer is not merged into an unsigned one: keep the signed one.",
            Pairs(("customerId", signed.CustomerId), ("intoCustomerId", signed.IntoCustomerId))),
        Refusal.InvalidCredentials => (StatusCodes.Status401Unauthorized, "Wrong username or password.", []),
        Refusal.LockedOut locked => (StatusCodes.Status423Locked, "Too many failed sign-ins: the account is locked for a while.", Pairs(("until", locked.Until))),
        Refusal.ClockBackward backward => (StatusCodes.Status409Conflict, "The clock only moves forward.", Pairs(("now", backward.Now))),
        Refusal.AlreadyClaimed claimed => (StatusCodes.Status409Conflict, "Someone else claimed this customer first.", Pairs(("customerId", claimed.CustomerId))),
        Refusal.NotPublished notPublished => (StatusCodes.Status409Conflict, "This customer is not in the public pool yet.", Pairs(("customerId", notPublished.CustomerId), ("publishAt", notPublished.PublishAt))),
        Refusal.UnreadableFile file => (file.Problem switch
        {
            "empty-file" => StatusCodes.Status400BadRequest,
            "not-a-workbook" => StatusCodes.Status415UnsupportedMediaType,
            _ => StatusCodes.Status422UnprocessableEntity,
        }, file.Message, Pairs(("details", file.Details))),
        Refusal.TooLarge large => (StatusCodes.Status413PayloadTooLarge, large.Message, Pairs(("limit", large.Limit))),
        _ => throw new UnreachableException($"Refusal {refusal.GetType().Name} has no problem mapping."),
    };

    private static KeyValuePair<string, object?>[] Pairs(params (string Key, object? Value)[] pairs) =>
        [.. pairs.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, p.Value))];
}
