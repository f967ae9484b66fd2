/**
 * A detached CMS SignedData for PAdES (ETSI.CAdES.detached), built with PKIjs:
 * content-type, message-digest and ESS signing-certificate-v2 signed
 * attributes, the signer's chain embedded. No signing-time attribute: PAdES
 * carries the signing time in the signature dictionary (/M) instead.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Signer } from './signer.js';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
};

const ab = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** ESS SigningCertificateV2 naming the signer certificate by its SHA-256 (the default algorithm, so omitted). */
function signingCertificateV2(certDer: Buffer, cert: pkijs.Certificate): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })] }),
      cert.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: ab(createHash('sha256').update(certDer).digest()) }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

export async function detachedCms(signer: Signer, content: Uint8Array): Promise<Buffer> {
  const [leaf, ...cas] = signer.chain;
  if (!leaf) throw new Error('signer has no certificate');
  const certs = [leaf, ...cas].map((c) => pkijs.Certificate.fromBER(ab(c.der)));
  const signerCert = certs[0]!;
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: signerCert.issuer, serialNumber: signerCert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: [
        new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
        new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: ab(createHash('sha256').update(content).digest()) })] }),
        new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(leaf.der, signerCert)] }),
      ],
    }),
  });
  // What is signed is the attributes as a SET (tag 0x31), not as the [0] they are stored under.
  const attrs = new Uint8Array(signerInfo.signedAttrs!.toSchema().toBER());
  attrs[0] = 0x31;
  const signature = await signer.signAttributes(attrs);
  signerInfo.signature = new asn1js.OctetString({ valueHex: ab(signature) });

  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: certs,
    signerInfos: [signerInfo],
  });
  const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return Buffer.from(info.toSchema().toBER());
}
