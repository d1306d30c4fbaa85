namespace CreditRisk.Registry.Security;

/// <summary>The role each RegistryService method needs. A method missing here is refused (deny by default).</summary>
public static class RegistryMethodRoles
{
    private static readonly Dictionary<string, RegistryRole> ByMethod = new(StringComparer.Ordinal)
    {
        ["GetExperimentByName"] = RegistryRole.Reader,
        ["GetRun"] = RegistryRole.Reader,
        ["GetMetricHistory"] = RegistryRole.Reader,
        ["SearchRuns"] = RegistryRole.Reader,
        ["DownloadArtifact"] = RegistryRole.Reader,
        ["ListArtifacts"] = RegistryRole.Reader,
        ["GetRegisteredModel"] = RegistryRole.Reader,
        ["GetModelVersion"] = RegistryRole.Reader,
        ["GetModelVersionByAlias"] = RegistryRole.Reader,
        ["ListAliasHistory"] = RegistryRole.Reader,

        ["CreateExperiment"] = RegistryRole.Writer,
        ["CreateRun"] = RegistryRole.Writer,
        ["UpdateRun"] = RegistryRole.Writer,
        ["DeleteRun"] = RegistryRole.Writer,
        ["RestoreRun"] = RegistryRole.Writer,
        ["LogBatch"] = RegistryRole.Writer,
        ["LogInputs"] = RegistryRole.Writer,
        ["UploadArtifact"] = RegistryRole.Writer,
        ["CreateRegisteredModel"] = RegistryRole.Writer,
        ["CreateModelVersion"] = RegistryRole.Writer,

        ["SetAlias"] = RegistryRole.Promoter,
    };

    /// <summary>The role <paramref name="method"/> (a gRPC method name, e.g. "/creditrisk.registry.v1.RegistryService/GetRun" or "GetRun") needs.</summary>
    public static RegistryRole? For(string method)
    {
        var name = method[(method.LastIndexOf('/') + 1)..];
        return ByMethod.TryGetValue(name, out var role) ? role : null;
    }
}
