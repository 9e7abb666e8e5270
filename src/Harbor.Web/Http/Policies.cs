using Harbor.Domain.Access;
using Harbor.Web.Features.Auth;
using Microsoft.AspNetCore.Authorization;

namespace Harbor.Web.Http;

/// <summary>Role gates on routes. Row-level rules (whose customer) live in the use cases.</summary>
public static class Policies
{
    public const string Admin = "admin";
    public const string Clerk = "clerk";
    public const string Registrar = "registrar";
    public const string Staff = "staff";

    public static AuthorizationBuilder AddHarborPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Admin, p => p.RequireRole(Role.Admin.ClaimValue()))
        .AddPolicy(Clerk, p => p.RequireRole(Role.Clerk.ClaimValue()))
        .AddPolicy(Registrar, p => p.RequireRole(Role.Salesperson.ClaimValue(), Role.Clerk.ClaimValue()))
        .AddPolicy(Staff, p => p.RequireRole(Role.Clerk.ClaimValue(), Role.Manager.ClaimValue(), Role.Director.ClaimValue(), Role.Admin.ClaimValue()));
}
