using System.CommandLine;
using System.Text.Json;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Keys;
using Spectre.Console;
using StoFunctions.Ethereum;

namespace StoFunctions.Cli.Commands;

/// <summary>
/// <c>ethereum-create-account</c>: a new signer account. With <c>--key-vault</c> it creates a P-256K key in the
/// vault with the operator's own Azure identity (the Function App's identity may only sign, so the API cannot do
/// this) and prints its Ethereum address; without, a fresh dev key, printed with a warning.
/// </summary>
public static class AccountCommands
{
    /// <summary>The commands.</summary>
    public static IEnumerable<Command> Create(CliKit kit)
    {
        Option<string?> vault = CliKit.Optional<string?>("--key-vault", "Key Vault mode: the vault, e.g. https://my-vault.vault.azure.net/ (your az login / DefaultAzureCredential needs key create permission)");
        Option<string?> name = CliKit.Optional<string?>("--key-name", "Key Vault mode: the new key's name (Signer__KeyName), e.g. sto-signer");
        Option<bool> hsm = CliKit.Optional<bool>("--hsm", "Key Vault mode: an HSM-protected key (EC-HSM, premium vaults)");
        var command = new Command("ethereum-create-account", "create a signer account: a P-256K key in Key Vault (--key-vault, --key-name) and its address, or a fresh dev key for dev chains\n  e.g. sto ethereum-create-account --key-vault https://my-vault.vault.azure.net/ --key-name sto-signer")
        {
            vault, name, hsm,
        };
        // Not kit.SetAction: this talks to Key Vault or to nothing, never to the API.
        command.SetAction(async (r, cancellationToken) =>
        {
            CliEnvironment environment = kit.Environment;
            bool json = r.GetValue(kit.Json);
            try
            {
                return r.GetValue(vault) is { } vaultText
                    ? await KeyVaultAsync(environment, json, VaultUri(vaultText), r.GetValue(name), r.GetValue(hsm), cancellationToken).ConfigureAwait(false)
                    : Local(environment, json, r.GetValue(name));
            }
            catch (CliInputException e)
            {
                environment.Error.WriteLine("error: " + e.Message);
                return ExitCodes.BadInput;
            }
        });
        yield return command;
    }

    private static Uri VaultUri(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme == "https"
            ? uri
            : throw new CliInputException($"The vault address '{text}' must be https://<vault>.vault.azure.net/.");

    private static int Local(CliEnvironment environment, bool json, string? name)
    {
        if (name is not null)
        {
            throw new CliInputException("--key-name needs --key-vault (Key Vault mode); without it a dev key is printed.");
        }

        PrivateKey key = PrivateKey.Generate();
        string secret = Hex.Encode(key.ExportSecret());
        const string warning = "WARNING: a dev key, printed in clear: for dev chains only (anvil 31337, 1337; Signer__Mode Local refuses any other chain). Put it in local.settings.json as Values.Signer__LocalPrivateKey; for a real chain use --key-vault.";
        environment.Error.WriteLine(warning);
        if (json)
        {
            environment.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(new { mode = "Local", address = key.Address.ToString(), privateKey = secret, warning }, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            environment.Out.WriteLine("address     " + key.Address);
            environment.Out.WriteLine("privateKey  " + secret);
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> KeyVaultAsync(CliEnvironment environment, bool json, Uri vault, string? name, bool hsm, CancellationToken cancellationToken)
    {
        if (name is null)
        {
            throw new CliInputException("Key Vault mode needs --key-name, the new key's name (e.g. sto-signer); it becomes Signer__KeyName.");
        }

        KeyClient client = environment.KeyClientFactory?.Invoke(vault) ?? new KeyClient(vault, new DefaultAzureCredential());
        try
        {
            // A second create would add a version and silently change the signer's address: refuse instead.
            KeyVaultKey? existing = null;
            try
            {
                existing = (await client.GetKeyAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }

            if (existing is not null)
            {
                string address = Describe(existing);
                throw new CliInputException($"The key '{name}' already exists in {vault} ({address}); creating it again would add a version and change the signer. Pass another --key-name, or use this one.");
            }

            var options = new CreateEcKeyOptions(name, hardwareProtected: hsm) { CurveName = KeyCurveName.P256K };
            options.KeyOperations.Add(KeyOperation.Sign);
            options.KeyOperations.Add(KeyOperation.Verify);
            KeyVaultKey created = (await client.CreateEcKeyAsync(options, cancellationToken).ConfigureAwait(false)).Value;
            Address account = AddressOf(created);
            if (json)
            {
                environment.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(new { mode = "KeyVault", address = account.ToString(), keyId = created.Id.ToString(), keyName = created.Name, keyVersion = created.Properties.Version, keyType = created.KeyType.ToString() }, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                environment.Out.WriteLine("address   " + account);
                environment.Out.WriteLine("keyId     " + created.Id);
                environment.Out.WriteLine($"settings  Signer__Mode=KeyVault Signer__KeyVaultUrl={vault} Signer__KeyName={created.Name}");
            }

            environment.Error.WriteLine($"fund {account} with ETH before the service sends from it.");
            return ExitCodes.Ok;
        }
        catch (RequestFailedException e)
        {
            environment.Error.WriteLine($"error: Key Vault {vault} answered {e.Status} {e.ErrorCode}: {e.Message.Split('\n')[0]}");
            return e.Status is 400 or 401 or 403 ? ExitCodes.BadInput : ExitCodes.Failed;
        }
        catch (AuthenticationFailedException e)
        {
            environment.Error.WriteLine($"error: no Azure identity for {vault}: {e.Message.Split('\n')[0]} Sign in with az login (or set AZURE_CLIENT_ID and friends).");
            return ExitCodes.BadInput;
        }
    }

    private static string Describe(KeyVaultKey key)
    {
        try
        {
            return "address " + AddressOf(key);
        }
        catch (CliInputException e)
        {
            return e.Message;
        }
    }

    private static Address AddressOf(KeyVaultKey key) =>
        key.Key.CurveName == KeyCurveName.P256K && key.Key.X is { Length: 32 } x && key.Key.Y is { Length: 32 } y
            ? PublicKey.FromBytes([.. x, .. y]).Address
            : throw new CliInputException($"The key '{key.Name}' is not a P-256K (secp256k1) key (curve {key.Key.CurveName}); it has no Ethereum address.");
}
