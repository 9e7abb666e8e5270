using Harbor.Domain.Policy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Web.Http;

public static class ResultHttpExtensions
{
    public static Results<Ok<T>, ProblemHttpResult> ToOk<T>(this Result<T> result) =>
        result.Succeeded ? TypedResults.Ok(result.Value) : Problems.From(result.Refusal);

    public static Results<Created<T>, ProblemHttpResult> ToCreated<T>(this Result<T> result, Func<T, string> location) =>
        result.Succeeded ? TypedResults.Created(location(result.Value), result.Value) : Problems.From(result.Refusal);
}
