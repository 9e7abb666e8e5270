using Harbor.Domain.Access;
using Harbor.Web.Features.Auth;
using Microsoft.AspNetCore.Authorization;

namespace Harbor.Web.Http;

/// <summary>Role gates on routes. Row-level rules (whose customer) live in the use cases.</summary>
public static class Policies
{
    public const string Admin = "admin";
    public const string Registrar = "registrar";
    public const string Staff = "staff";

    /// <summary>The master registry: the clerk and the director, and managers for their own group.</summary>
    public const string Registry = "registry";

    public static AuthorizationBuilder AddHarborPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Admin, p => p.RequireRole(Role.Admin.ClaimValue()))
        .AddPolicy(Registrar, p => p.RequireRole(Role.Salesperson.ClaimValue(), Role.Clerk.ClaimValue()))
        .AddPolicy(Registry, p => p.RequireRole(Role.Clerk.ClaimValue(), Role.Director.ClaimValue(), Role.Manager.ClaimValue()))
        .AddPolicy(Staff, p => p.RequireRole(Role.Clerk.ClaimValue(), Role.Manager.ClaimValue(), Role.Director.ClaimValue(), Role.Admin.ClaimValue()));
}
