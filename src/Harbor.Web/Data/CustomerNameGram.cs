namespace Harbor.Web.Data;

/// <summary>
/// The inverted index of the similar-name search: one row per distinctive gram of a customer's
/// name (<see cref="Domain.Duplicates.NameGrams"/>), written with the customer in the same unit of
/// work, so it is always in step with the registry on every app instance.
/// </summary>
public sealed class CustomerNameGram
{
    public const int MaxGramLength = 64;

    public required string Gram { get; set; }
    public Guid CustomerId { get; set; }
}
