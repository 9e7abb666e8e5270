namespace Harbor.Web.Data;

/// <summary>
/// A fact about the stored registry itself, not a policy setting: for now the version of the duplicate-check
/// normalisers that computed the stored keys (<see cref="Domain.Duplicates.DuplicateKeys.Version"/>).
/// </summary>
public sealed class RegistrySetting
{
    public const int MaxNameLength = 64;
    public const int MaxValueLength = 200;

    /// <summary>The version of the normalisers behind the stored name, phone and credit-code keys and the name grams.</summary>
    public const string KeysVersion = "duplicate-keys-version";

    public required string Name { get; set; }
    public required string Value { get; set; }
}
