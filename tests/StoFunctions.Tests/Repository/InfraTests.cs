using System.Text.RegularExpressions;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Repository;

/// <summary>
/// Structural checks of infra/*.bicep that run with every `dotnet test`: unbalanced brackets, modules called with
/// parameters they do not declare (or without ones they require), and the resources and role ids the design
/// requires. The real compiler and linter (Bicep 0.49.2, `./dev bicep`) run as a step of `./dev test`.
/// </summary>
public sealed partial class InfraTests
{
    private static string Infra => Path.Combine(RepoPaths.Root, "infra");

    public static TheoryData<string> BicepFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra"), "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepoPaths.Root, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Brackets_balance_outside_strings_and_comments(string file)
    {
        string text = File.ReadAllText(Path.Combine(RepoPaths.Root, file));
        var stack = new Stack<(char Open, int Line)>();
        int line = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n')
            {
                line++;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n') i++;
                line++;
            }
            else if (c == '\'')
            {
                for (i++; i < text.Length && text[i] != '\''; i++)
                {
                    if (text[i] == '\\') i++;
                }
            }
            else if (c is '{' or '[' or '(')
            {
                stack.Push((c, line));
            }
            else if (c is '}' or ']' or ')')
            {
                Assert.True(stack.Count > 0, $"{file}:{line}: '{c}' closes nothing");
                (char open, int openLine) = stack.Pop();
                Assert.True("{[(".IndexOf(open, StringComparison.Ordinal) == "}])".IndexOf(c, StringComparison.Ordinal), $"{file}:{line}: '{c}' closes '{open}' from line {openLine}");
            }
        }

        Assert.True(stack.Count == 0, $"{file}: '{(stack.Count > 0 ? stack.Peek().Open : ' ')}' from line {(stack.Count > 0 ? stack.Peek().Line : 0)} is never closed");
    }

    [Fact]
    public void Every_module_is_called_with_exactly_its_declared_parameters()
    {
        string main = File.ReadAllText(Path.Combine(Infra, "main.bicep"));
        MatchCollection modules = ModuleCall().Matches(main);
        Assert.Equal(5, modules.Count);
        foreach (Match module in modules)
        {
            string path = Path.Combine(Infra, module.Groups["path"].Value);
            Assert.True(File.Exists(path), $"module {module.Groups["name"].Value} points at missing {path}");
            string body = module.Groups["params"].Value;
            var passed = PassedParameter().Matches(body).Select(m => m.Groups[1].Value).ToHashSet();
            Assert.True(passed.Count >= 2, $"no parameters parsed for module {module.Groups["name"].Value}");
            var declared = ParameterDeclaration().Matches(File.ReadAllText(path))
                .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["default"].Success);
            Assert.All(passed, p => Assert.True(declared.ContainsKey(p), $"{module.Groups["path"].Value} declares no parameter '{p}'"));
            Assert.All(declared.Where(d => !d.Value), d => Assert.True(passed.Contains(d.Key), $"{module.Groups["path"].Value} requires '{d.Key}', which main.bicep does not pass"));
        }
    }

    [Fact]
    public void Signing_key_is_p256k_sign_only_and_its_identity_gets_only_data_plane_roles()
    {
        string vault = File.ReadAllText(Path.Combine(Infra, "modules", "keyvault.bicep"));
        Assert.Contains("curveName: 'P-256K'", vault, StringComparison.Ordinal);
        Assert.Contains("enableRbacAuthorization: true", vault, StringComparison.Ordinal);
        Assert.Contains("12338af0-0e69-4776-bea7-57ae8d297424", vault, StringComparison.Ordinal); // Key Vault Crypto User
        Assert.Contains("scope: signingKey", vault, StringComparison.Ordinal);
        string storage = File.ReadAllText(Path.Combine(Infra, "modules", "storage.bicep"));
        // Storage Blob Data Owner, Queue Data Contributor, Table Data Contributor: what the Functions host and the Durable task hub need.
        foreach (string role in (string[])["b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"])
        {
            Assert.Contains(role, storage, StringComparison.Ordinal);
        }

        Assert.Contains("allowSharedKeyAccess: false", storage, StringComparison.Ordinal);
        string all = string.Concat(Directory.GetFiles(Infra, "*.bicep", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.DoesNotContain("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", all, StringComparison.Ordinal); // Owner
        Assert.DoesNotContain("b24988ac-6180-42a0-ab88-20f7382dd24c", all, StringComparison.Ordinal); // Contributor
    }

    [Fact]
    public void Function_app_runs_on_flex_consumption_with_dotnet_10_and_reaches_storage_only_through_its_identity()
    {
        string app = File.ReadAllText(Path.Combine(Infra, "modules", "app.bicep"));
        Assert.Contains("tier: 'FlexConsumption'", app, StringComparison.Ordinal);
        Assert.Matches(@"name: 'dotnet-isolated'\s+version: '10\.0'", app);
        Assert.Contains("type: 'UserAssignedIdentity'", app, StringComparison.Ordinal); // the deployment container
        Assert.Contains("name: 'AzureWebJobsStorage__credential'", app, StringComparison.Ordinal);
        Assert.DoesNotContain("name: 'AzureWebJobsStorage'", app, StringComparison.Ordinal); // a connection string
        string all = string.Concat(Directory.GetFiles(Infra, "*.bicep", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.DoesNotContain("AccountKey", all, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^module (?<name>\w+) '(?<path>[^']+)' = \{\s*name: '[^']*'\s*params: \{(?<params>.*?)^  \}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ModuleCall();

    [GeneratedRegex(@"^    (\w+):", RegexOptions.Multiline)]
    private static partial Regex PassedParameter();

    [GeneratedRegex(@"^param (?<name>\w+) \w+(?<default> =)?", RegexOptions.Multiline)]
    private static partial Regex ParameterDeclaration();
}
