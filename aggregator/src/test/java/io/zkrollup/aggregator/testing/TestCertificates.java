package io.zkrollup.aggregator.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway CA and certificates for TLS tests, written as PEM files: the same kinds of files
 * docs/prover-cluster.md makes with openssl (P-256 keys, PKCS#8 private keys).
 */
public final class TestCertificates {

  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  /** A certificate and its key, as PEM files. */
  public record Issued(Path cert, Path key, X509Certificate certificate, KeyPair keys) {}

  private TestCertificates() {}

  /** A self-signed CA named {@code name}, written to {@code dir/name.crt} and {@code dir/name.key}. */
  public static Issued ca(Path dir, String name) throws Exception {
    KeyPair kp = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder b = builder(subject, subject, kp);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    return write(dir, name, b, kp, kp);
  }

  /** A server certificate for localhost and 127.0.0.1, signed by {@code ca}. */
  public static Issued server(Path dir, String name, Issued ca) throws Exception {
    KeyPair kp = keyPair();
    X509v3CertificateBuilder b = builder(new X500Name(ca.certificate().getSubjectX500Principal().getName()), new X500Name("CN=localhost"), kp);
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    return write(dir, name, b, kp, ca.keys());
  }

  /** A client (worker) certificate named {@code name}, signed by {@code ca}. */
  public static Issued client(Path dir, String name, Issued ca) throws Exception {
    KeyPair kp = keyPair();
    X509v3CertificateBuilder b = builder(new X500Name(ca.certificate().getSubjectX500Principal().getName()), new X500Name("CN=" + name), kp);
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    return write(dir, name, b, kp, ca.keys());
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return g.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair kp) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer, BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, kp.getPublic());
  }

  private static Issued write(Path dir, String name, X509v3CertificateBuilder b, KeyPair kp, KeyPair signer) throws Exception {
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    Files.createDirectories(dir);
    Path certFile = dir.resolve(name + ".crt");
    Path keyFile = dir.resolve(name + ".key");
    Files.writeString(certFile, pem(cert));
    Files.writeString(keyFile, pem(new JcaPKCS8Generator(kp.getPrivate(), null).generate()));
    return new Issued(certFile, keyFile, cert, kp);
  }

  private static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(o);
    }
    return w.toString();
  }
}
