using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Soci.TestEnvironment.Registry;

/// <summary>A self-signed server certificate for 127.0.0.1/localhost that is also the CA clients are told to trust.</summary>
public sealed record SelfSignedCertificate(string CertificatePath, string KeyPath)
{
    public static SelfSignedCertificate CreateIn(string directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=soci-test-registry", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));

        // The certificate gets a directory of its own: tools that take a certificate directory (skopeo, containerd's
        // hosts.d) read every *.key there as a client key.
        var trustDirectory = Directory.CreateDirectory(Path.Combine(directory, "trust")).FullName;
        var certificatePath = Path.Combine(trustDirectory, "registry.crt");
        var keyPath = Path.Combine(directory, "registry.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new SelfSignedCertificate(certificatePath, keyPath);
    }

    /// <summary>A directory holding only the certificate, for tools that trust every *.crt in a directory.</summary>
    public string TrustDirectory => Path.GetDirectoryName(CertificatePath)!;

    public X509Certificate2 Load() => X509CertificateLoader.LoadCertificateFromFile(CertificatePath);
}
