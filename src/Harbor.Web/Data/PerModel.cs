using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Harbor.Web.Data;

/// <summary>
/// A compiled query keeps the model it first ran with and refuses any other ("executed with a different
/// model"). One process can hold several models of one context type: every host whose EF options differ
/// (the tests' apps and component contexts, the bench's instrumented hosts) builds its own. So a set of
/// compiled queries is kept per model, and dies with it.
/// </summary>
public static class PerModel<TQueries>
    where TQueries : class, new()
{
    private static readonly ConditionalWeakTable<IModel, TQueries> Sets = new();

    public static TQueries Of(DbContext db) => Sets.GetValue(db.Model, static _ => new TQueries());
}
