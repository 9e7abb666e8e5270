using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using Harbor.Domain.Customers;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Registry;

/// <summary>
/// Keyset paging of the master list: where the previous page ended (its last row's sort key and
/// id), so that the next page starts there through the index instead of reading and skipping every
/// row before it. Opaque to clients: base64url of a small JSON document. It also carries the total
/// counted when the walk began and the page number, which the page shows.
/// </summary>
public sealed record RegistryCursor(string Sort, string Key, Guid Id, int Total, int Page)
{
    /// <summary>The sorts a cursor can follow: one column and the id. The owner sorts page by number.</summary>
    public static readonly IReadOnlyList<string> Sorts = ["dueOn", "-dueOn", "name", "-name", "createdAt", "-createdAt"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this, Json));

    public static RegistryCursor? Decode(string text)
    {
        try
        {
            var cursor = JsonSerializer.Deserialize<RegistryCursor>(Base64Url.DecodeFromChars(text), Json);
            return cursor is { Sort: not null, Key: not null, Total: >= 0, Page: >= 1 } && KeyIsValid(cursor) ? cursor : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The sort key of a row as the cursor stores it; an undated row sorts after every date, either way.</summary>
    public static string KeyOf(string sort, string name, DateOnly? dueOn, DateTimeOffset createdAt) => sort switch
    {
        "dueOn" => (dueOn ?? DateOnly.MaxValue).ToString("O", CultureInfo.InvariantCulture),
        "-dueOn" => (dueOn ?? DateOnly.MinValue).ToString("O", CultureInfo.InvariantCulture),
        "name" or "-name" => name,
        _ => createdAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The rows after the cursor in the sort's order. Where both columns ascend and the engine
    /// compares row values through an index (PostgreSQL), that is the comparison
    /// <c>(key, id) &gt; (v, id₀)</c>: one index seek to the exact row. Elsewhere each condition
    /// repeats the bound alone ("key ≥ v") before the tie-break, so that the database seeks to the
    /// key in the sort's index; the rows sharing that key before the cursor's id are then read and
    /// skipped (ninety thousand undated customers share one key: 130 ms a page on PostgreSQL).
    /// The due-date bounds go through <see cref="InlineConstants"/>, so that EF caches the page's SQL.
    /// </summary>
    public static IQueryable<Customer> After(IQueryable<Customer> customers, RegistryCursor cursor, bool rowValues)
    {
        var id = cursor.Id;
        switch (cursor.Sort)
        {
            case "dueOn":
                {
                    var v = Date(cursor.Key);
                    return rowValues
                        ? customers.Where(InlineConstants.In<Func<Customer, bool>>(c =>
                            EF.Functions.GreaterThan(ValueTuple.Create(c.DueOn ?? EF.Constant(DateOnly.MaxValue), c.Id), ValueTuple.Create(v, id))))
                        : customers.Where(InlineConstants.In<Func<Customer, bool>>(c => (c.DueOn ?? EF.Constant(DateOnly.MaxValue)) >= v
                            && ((c.DueOn ?? EF.Constant(DateOnly.MaxValue)) > v || c.Id.CompareTo(id) > 0)));
                }
            case "-dueOn":
                {
                    var v = Date(cursor.Key);
                    return customers.Where(InlineConstants.In<Func<Customer, bool>>(c => (c.DueOn ?? EF.Constant(DateOnly.MinValue)) <= v
                        && ((c.DueOn ?? EF.Constant(DateOnly.MinValue)) < v || c.Id.CompareTo(id) > 0)));
                }
            case "name":
                {
                    var v = cursor.Key;
                    return rowValues
                        ? customers.Where(c => EF.Functions.GreaterThan(ValueTuple.Create(c.Name, c.Id), ValueTuple.Create(v, id)))
                        : customers.Where(c => string.Compare(c.Name, v) >= 0 && (string.Compare(c.Name, v) > 0 || c.Id.CompareTo(id) > 0));
                }
            case "-name":
                {
                    var v = cursor.Key;
                    return customers.Where(c => string.Compare(c.Name, v) <= 0 && (string.Compare(c.Name, v) < 0 || c.Id.CompareTo(id) > 0));
                }
            case "createdAt":
                {
                    var v = Instant(cursor.Key);
                    return rowValues
                        ? customers.Where(c => EF.Functions.GreaterThan(ValueTuple.Create(c.CreatedAt, c.Id), ValueTuple.Create(v, id)))
                        : customers.Where(c => c.CreatedAt >= v && (c.CreatedAt > v || c.Id.CompareTo(id) > 0));
                }
            case "-createdAt":
                {
                    var v = Instant(cursor.Key);
                    return customers.Where(c => c.CreatedAt <= v && (c.CreatedAt < v || c.Id.CompareTo(id) > 0));
                }
            default:
                throw new ArgumentException($"No keyset for the sort '{cursor.Sort}'.", nameof(cursor));
        }
    }

    private static bool KeyIsValid(RegistryCursor cursor) => cursor.Sort switch
    {
        "dueOn" or "-dueOn" => DateOnly.TryParseExact(cursor.Key, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "createdAt" or "-createdAt" => long.TryParse(cursor.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks,
        _ => true,
    };

    internal static DateOnly Date(string key) => DateOnly.ParseExact(key, "O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Instant(string key) => new(long.Parse(key, CultureInfo.InvariantCulture), TimeSpan.Zero);
}
