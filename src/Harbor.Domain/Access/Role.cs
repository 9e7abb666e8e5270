namespace Harbor.Domain.Access;

public enum Role
{
    Salesperson,
    Clerk,
    Manager,
    Director,
    Admin,
}

/// <summary>The signed-in person a rule is asked on behalf of.</summary>
public sealed record Viewer(Guid Id, Role Role, Guid? GroupId)
{
    public bool IsSalesperson => Role == Role.Salesperson;
}
