using System.Diagnostics.CodeAnalysis;

namespace Harbor.Domain.Policy;

/// <summary>Either the value of a successful use case or the refusal that stopped it.</summary>
public readonly record struct Result<T>
{
    private Result(T? value, Refusal? refusal)
    {
        Value = value;
        Refusal = refusal;
    }

    public T? Value { get; }
    public Refusal? Refusal { get; }

    [MemberNotNullWhen(false, nameof(Refusal))]
    [MemberNotNullWhen(true, nameof(Value))]
    public bool Succeeded => Refusal is null;

    public static Result<T> Ok(T value) => new(value, null);
    public static Result<T> Refused(Refusal refusal) => new(default, refusal);

#pragma warning disable CA2225 // the conversions are the point: `return refusal;` reads like the rule
    public static implicit operator Result<T>(T value) => Ok(value);
    public static implicit operator Result<T>(Refusal refusal) => Refused(refusal);
#pragma warning restore CA2225
}
