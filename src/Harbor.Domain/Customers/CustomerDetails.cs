using Harbor.Domain.Duplicates;
using Harbor.Domain.Policy;

namespace Harbor.Domain.Customers;

/// <summary>What a salesperson reports about a prospect (报备).</summary>
public sealed record CustomerDetails(string? Name, string? Phone, string? CreditCode, string? ContactName, string? Address, string? Notes)
{
    public const int MaxPhoneLength = 40;
    public const int MaxCreditCodeLength = 40;
    public const int MaxContactNameLength = 100;
    public const int MaxAddressLength = 300;
    public const int MaxNotesLength = 2000;

    /// <summary>Checks the details and computes the keys the conflict check matches on.</summary>
    public Result<ValidCustomerDetails> Validate(PhoneKeys phones)
    {
        var errors = new Dictionary<string, string[]>();
        var name = Name?.Trim();
        var phone = Blank(Phone);
        var creditCode = Blank(CreditCode);
        string nameKey = "";
        if (string.IsNullOrEmpty(name))
            errors["customer.name"] = ["The company name is required."];
        else if (name.Length > CompanyName.MaxLength)
            errors["customer.name"] = [$"The company name is longer than {CompanyName.MaxLength} characters."];
        else if ((nameKey = CompanyName.Key(name)).Length == 0)
            errors["customer.name"] = ["The company name has no letters or characters to match on."];

        var phoneKey = phones.Key(phone);
        if (phone is not null && (phone.Length > MaxPhoneLength || phoneKey is null || PhoneKeys.IsTooShort(phoneKey)))
            errors["customer.phone"] = ["The phone number is not a phone number."];

        var creditKey = Duplicates.CreditCode.Key(creditCode);
        var warnings = new List<string>();
        if (creditCode is not null && (creditCode.Length > MaxCreditCodeLength || creditKey is null || !Duplicates.CreditCode.IsWellFormed(creditKey)))
            errors["customer.creditCode"] = ["A unified social credit code has 18 characters of 0-9 and A-Z (without I, O, S, V, Z)."];
        else if (creditKey is not null && !Duplicates.CreditCode.HasValidCheck(creditKey))
            // Some early codes are legal yet fail the check: warn, never refuse.
            warnings.Add("credit-code-check-failed");

        Check(errors, "customer.contactName", ContactName, MaxContactNameLength);
        Check(errors, "customer.address", Address, MaxAddressLength);
        Check(errors, "customer.notes", Notes, MaxNotesLength);

        if (errors.Count > 0)
            return new Refusal.ValidationFailed(errors);
        return new ValidCustomerDetails(name!, nameKey, phone, phoneKey, creditKey, creditKey, Blank(ContactName), Blank(Address), Blank(Notes), warnings);
    }

    private static void Check(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        if (value is not null && value.Trim().Length > max)
            errors[field] = [$"Longer than {max} characters."];
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed record ValidCustomerDetails(
    string Name,
    string NameKey,
    string? Phone,
    string? PhoneKey,
    string? CreditCode,
    string? CreditCodeKey,
    string? ContactName,
    string? Address,
    string? Notes,
    IReadOnlyList<string> Warnings);
