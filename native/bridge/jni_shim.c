//go:build jni

/*
 * JNI shim: the only C in libzkprover. It turns Java byte arrays into
 * (pointer, length) pairs for the Go exports and zkp_results back into byte
 * arrays or a thrown NativeProverException. It never keeps a Java reference
 * past one call and never calls back into Java from Go.
 */
#include <jni.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkprover.h"
#include "_cgo_export.h"

#define EXCEPTION_CLASS "io/zkrollup/prover/nativebridge/NativeProverException"

static jclass exception_class;      /* global ref, set in JNI_OnLoad */
static jmethodID exception_ctor;    /* (int code, byte[] utf8Message) */

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    JNIEnv *env;
    (void)reserved;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    jclass local = (*env)->FindClass(env, EXCEPTION_CLASS);
    if (local == NULL) {
        return JNI_ERR; /* NoClassDefFoundError is pending and reported by System.load */
    }
    exception_class = (jclass)(*env)->NewGlobalRef(env, local);
    (*env)->DeleteLocalRef(env, local);
    exception_ctor = (*env)->GetMethodID(env, exception_class, "<init>", "(I[B)V");
    if (exception_class == NULL || exception_ctor == NULL) {
        return JNI_ERR;
    }
    return JNI_VERSION_1_8;
}

static void throw_bytes(JNIEnv *env, jint code, const uint8_t *msg, jsize len) {
    jbyteArray message = (*env)->NewByteArray(env, len);
    if (message == NULL) {
        return; /* OutOfMemoryError pending */
    }
    if (len > 0) {
        (*env)->SetByteArrayRegion(env, message, 0, len, (const jbyte *)msg);
    }
    jobject ex = (*env)->NewObject(env, exception_class, exception_ctor, code, message);
    if (ex != NULL) {
        (*env)->Throw(env, (jthrowable)ex);
    }
}

static void throw_message(JNIEnv *env, jint code, const char *msg) {
    throw_bytes(env, code, (const uint8_t *)msg, (jsize)strlen(msg));
}

/* A Java byte array copied into C memory for the duration of one call. */
typedef struct {
    uint8_t *data;
    int32_t len;
} input;

/* Copies arr into in; on failure throws and returns 0. */
static int copy_in(JNIEnv *env, jbyteArray arr, const char *name, input *in) {
    in->data = NULL;
    in->len = 0;
    if (arr == NULL) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s must not be null", name);
        throw_message(env, ZKP_ERR_INVALID_ARGUMENT, msg);
        return 0;
    }
    jsize len = (*env)->GetArrayLength(env, arr);
    if (len > ZKP_MAX_INPUT_BYTES) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s is %d bytes, more than the bridge limit of %d", name, (int)len,
                 ZKP_MAX_INPUT_BYTES);
        throw_message(env, ZKP_ERR_RESOURCE_EXHAUSTED, msg);
        return 0;
    }
    if (len == 0) {
        return 1;
    }
    in->data = malloc((size_t)len);
    if (in->data == NULL) {
        throw_message(env, ZKP_ERR_RESOURCE_EXHAUSTED, "out of native memory copying input");
        return 0;
    }
    (*env)->GetByteArrayRegion(env, arr, 0, len, (jbyte *)in->data);
    in->len = (int32_t)len;
    return 1;
}

/* Turns a zkp_result into a byte array (or NULL with an exception pending)
 * and frees the result's memory. */
static jbyteArray finish(JNIEnv *env, zkp_result res) {
    jbyteArray out = NULL;
    if (res.code != ZKP_OK) {
        throw_bytes(env, res.code, res.data, (jsize)res.len);
    } else if (res.len > 0x7fffffff) {
        throw_message(env, ZKP_ERR_RESOURCE_EXHAUSTED, "native result larger than a Java array");
    } else {
        out = (*env)->NewByteArray(env, (jsize)res.len);
        if (out != NULL && res.len > 0) {
            (*env)->SetByteArrayRegion(env, out, 0, (jsize)res.len, (const jbyte *)res.data);
        }
    }
    zkp_free(res.data);
    return out;
}

static jlong finish_long(JNIEnv *env, zkp_result res) {
    jbyteArray bytes = finish(env, res);
    if (bytes == NULL) {
        return 0;
    }
    jbyte b[8];
    if ((*env)->GetArrayLength(env, bytes) != 8) {
        throw_message(env, ZKP_ERR_INTERNAL, "native call returned a malformed handle");
        return 0;
    }
    (*env)->GetByteArrayRegion(env, bytes, 0, 8, b);
    jlong v = 0;
    for (int i = 0; i < 8; i++) {
        v = (v << 8) | (uint8_t)b[i];
    }
    return v;
}

#define JNI_FN(name) JNICALL Java_io_zkrollup_prover_nativebridge_NativeCalls_##name

JNIEXPORT jbyteArray JNI_FN(versions)(JNIEnv *env, jclass cls) {
    (void)cls;
    return finish(env, zkp_versions());
}

JNIEXPORT jbyteArray JNI_FN(poseidon2Permute)(JNIEnv *env, jclass cls, jbyteArray state) {
    (void)cls;
    input in;
    if (!copy_in(env, state, "state", &in)) return NULL;
    zkp_result res = zkp_poseidon2_permute(in.data, in.len);
    free(in.data);
    return finish(env, res);
}

JNIEXPORT jbyteArray JNI_FN(poseidon2Compress)(JNIEnv *env, jclass cls, jbyteArray left, jbyteArray right) {
    (void)cls;
    input l, r;
    if (!copy_in(env, left, "left", &l)) return NULL;
    if (!copy_in(env, right, "right", &r)) {
        free(l.data);
        return NULL;
    }
    zkp_result res = zkp_poseidon2_compress(l.data, l.len, r.data, r.len);
    free(l.data);
    free(r.data);
    return finish(env, res);
}

JNIEXPORT jbyteArray JNI_FN(poseidon2Hash)(JNIEnv *env, jclass cls, jbyteArray elements) {
    (void)cls;
    input in;
    if (!copy_in(env, elements, "elements", &in)) return NULL;
    zkp_result res = zkp_poseidon2_hash(in.data, in.len);
    free(in.data);
    return finish(env, res);
}

JNIEXPORT jlong JNI_FN(hasherCreate)(JNIEnv *env, jclass cls) {
    (void)cls;
    return finish_long(env, zkp_hasher_create());
}

JNIEXPORT void JNI_FN(hasherWrite)(JNIEnv *env, jclass cls, jlong handle, jbyteArray elements) {
    (void)cls;
    input in;
    if (!copy_in(env, elements, "elements", &in)) return;
    zkp_result res = zkp_hasher_write(handle, in.data, in.len);
    free(in.data);
    finish(env, res);
}

JNIEXPORT jbyteArray JNI_FN(hasherDigest)(JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    return finish(env, zkp_hasher_digest(handle));
}

JNIEXPORT void JNI_FN(release)(JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    finish(env, zkp_release(handle));
}

JNIEXPORT jlong JNI_FN(liveHandles)(JNIEnv *env, jclass cls) {
    (void)cls;
    return finish_long(env, zkp_live_handles());
}

/*
 * Adds SA_ONSTACK to every installed signal handler that lacks it. Go code
 * runs on small goroutine stacks; a handler without SA_ONSTACK that fires on a
 * thread running Go writes its signal frame below the goroutine stack and
 * corrupts the Go heap (os/signal, "Non-Go programs that call Go code"). Go
 * fixes the handlers that exist when it loads; this fixes those the host
 * installed later. Pure C: no Go call, nothing can panic.
 */
JNIEXPORT jint JNI_FN(addAltStackToSignalHandlers)(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    jint changed = 0;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) {
            continue;
        }
        struct sigaction sa;
        if (sigaction(sig, NULL, &sa) != 0) {
            continue; /* reserved by libc (e.g. SIGCANCEL) */
        }
        if (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN || (sa.sa_flags & SA_ONSTACK)) {
            continue;
        }
        sa.sa_flags |= SA_ONSTACK;
        if (sigaction(sig, &sa, NULL) == 0) {
            changed++;
        }
    }
    return changed;
}

JNIEXPORT jbyteArray JNI_FN(smtRoot)(JNIEnv *env, jclass cls, jint depth, jbyteArray leaves) {
    (void)cls;
    input in;
    if (!copy_in(env, leaves, "leaves", &in)) return NULL;
    zkp_result res = zkp_smt_root(depth, in.data, in.len);
    free(in.data);
    return finish(env, res);
}

/* ---- EdDSA on Baby Jubjub (native/signing) ---- */

/* Overwrites a secret input (a seed) before its C copy is freed; the volatile
 * pointer keeps the compiler from dropping the stores as dead. */
static void wipe_and_free(input *in) {
    volatile uint8_t *p = in->data;
    for (int32_t i = 0; i < in->len; i++) {
        p[i] = 0;
    }
    free(in->data);
}

/* A one-byte result, 1 or 0, as a jboolean (JNI_FALSE with an exception pending on error). */
static jboolean finish_boolean(JNIEnv *env, zkp_result res) {
    jbyteArray bytes = finish(env, res);
    if (bytes == NULL) {
        return JNI_FALSE;
    }
    jbyte b = 0;
    if ((*env)->GetArrayLength(env, bytes) != 1) {
        throw_message(env, ZKP_ERR_INTERNAL, "native call returned a malformed boolean");
        return JNI_FALSE;
    }
    (*env)->GetByteArrayRegion(env, bytes, 0, 1, &b);
    if (b != 0 && b != 1) {
        throw_message(env, ZKP_ERR_INTERNAL, "native call returned a malformed boolean");
        return JNI_FALSE;
    }
    return b == 1 ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jbyteArray JNI_FN(eddsaPublicKey)(JNIEnv *env, jclass cls, jbyteArray seed) {
    (void)cls;
    input s;
    if (!copy_in(env, seed, "seed", &s)) return NULL;
    zkp_result res = zkp_eddsa_public_key(s.data, s.len);
    wipe_and_free(&s);
    return finish(env, res);
}

JNIEXPORT jbyteArray JNI_FN(eddsaSign)(JNIEnv *env, jclass cls, jbyteArray seed, jbyteArray message) {
    (void)cls;
    input s, m;
    if (!copy_in(env, seed, "seed", &s)) return NULL;
    if (!copy_in(env, message, "message", &m)) {
        wipe_and_free(&s);
        return NULL;
    }
    zkp_result res = zkp_eddsa_sign(s.data, s.len, m.data, m.len);
    wipe_and_free(&s);
    free(m.data);
    return finish(env, res);
}

JNIEXPORT jboolean JNI_FN(eddsaVerify)(JNIEnv *env, jclass cls, jbyteArray publicKey, jbyteArray signature,
                                       jbyteArray message) {
    (void)cls;
    input p, s, m;
    if (!copy_in(env, publicKey, "publicKey", &p)) return JNI_FALSE;
    if (!copy_in(env, signature, "signature", &s)) {
        free(p.data);
        return JNI_FALSE;
    }
    if (!copy_in(env, message, "message", &m)) {
        free(p.data);
        free(s.data);
        return JNI_FALSE;
    }
    zkp_result res = zkp_eddsa_verify(p.data, p.len, s.data, s.len, m.data, m.len);
    free(p.data);
    free(s.data);
    free(m.data);
    return finish_boolean(env, res);
}

/* ---- Batch circuit and prover (native/batch, native/proving) ---- */

/* mode: ZKP_MODE_ROLLUP or ZKP_MODE_VALIDIUM; Go checks it (INVALID_ARGUMENT otherwise). */
JNIEXPORT jbyteArray JNI_FN(circuitInfo)(JNIEnv *env, jclass cls, jint b, jint d, jint backend, jint mode) {
    (void)cls;
    return finish(env, zkp_circuit_info(b, d, backend, mode));
}

JNIEXPORT jbyteArray JNI_FN(circuitSetup)(JNIEnv *env, jclass cls, jint b, jint d, jint backend, jint mode, jbyteArray keyDir) {
    (void)cls;
    input in;
    if (!copy_in(env, keyDir, "keyDir", &in)) return NULL;
    zkp_result res = zkp_circuit_setup(b, d, backend, mode, in.data, in.len);
    free(in.data);
    return finish(env, res);
}

JNIEXPORT jlong JNI_FN(proverLoad)(JNIEnv *env, jclass cls, jbyteArray keyDir) {
    (void)cls;
    input in;
    if (!copy_in(env, keyDir, "keyDir", &in)) return 0;
    zkp_result res = zkp_prover_load(in.data, in.len);
    free(in.data);
    return finish_long(env, res);
}

/* A verifier handle: the verifying key alone, calls on it run concurrently. */
JNIEXPORT jlong JNI_FN(verifierLoad)(JNIEnv *env, jclass cls, jbyteArray keyDir) {
    (void)cls;
    input in;
    if (!copy_in(env, keyDir, "keyDir", &in)) return 0;
    zkp_result res = zkp_verifier_load(in.data, in.len);
    free(in.data);
    return finish_long(env, res);
}

JNIEXPORT jbyteArray JNI_FN(prove)(JNIEnv *env, jclass cls, jlong handle, jbyteArray witness) {
    (void)cls;
    input in;
    if (!copy_in(env, witness, "witness", &in)) return NULL;
    zkp_result res = zkp_prove(handle, in.data, in.len);
    free(in.data);
    return finish(env, res);
}

JNIEXPORT jboolean JNI_FN(verify)(JNIEnv *env, jclass cls, jlong handle, jbyteArray proof, jbyteArray publicInputs) {
    (void)cls;
    input p, pub;
    if (!copy_in(env, proof, "proof", &p)) return JNI_FALSE;
    if (!copy_in(env, publicInputs, "publicInputs", &pub)) {
        free(p.data);
        return JNI_FALSE;
    }
    zkp_result res = zkp_verify(handle, p.data, p.len, pub.data, pub.len);
    free(p.data);
    free(pub.data);
    return finish_boolean(env, res);
}

JNIEXPORT jbyteArray JNI_FN(proverUseGpu)(JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    return finish(env, zkp_prover_use_gpu(handle));
}

JNIEXPORT jbyteArray JNI_FN(exportSolidity)(JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    return finish(env, zkp_export_solidity(handle));
}

JNIEXPORT jbyteArray JNI_FN(solidityProof)(JNIEnv *env, jclass cls, jlong handle, jbyteArray proof) {
    (void)cls;
    input in;
    if (!copy_in(env, proof, "proof", &in)) return NULL;
    zkp_result res = zkp_solidity_proof(handle, in.data, in.len);
    free(in.data);
    return finish(env, res);
}

JNIEXPORT jbyteArray JNI_FN(proverInfo)(JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    return finish(env, zkp_prover_info(handle));
}

/* ---- MPC ceremony (native/ceremony) ---- */

/* Copies n Java arrays into ins; on failure frees what it copied, throws and returns 0. */
static int copy_all(JNIEnv *env, int n, const jbyteArray *arrs, const char *const *names, input *ins) {
    for (int i = 0; i < n; i++) {
        if (!copy_in(env, arrs[i], names[i], &ins[i])) {
            for (int j = 0; j < i; j++) {
                free(ins[j].data);
            }
            return 0;
        }
    }
    return 1;
}

static void free_all(int n, input *ins) {
    for (int i = 0; i < n; i++) {
        free(ins[i].data);
    }
}

JNIEXPORT jbyteArray JNI_FN(ceremonyInit)(JNIEnv *env, jclass cls, jint b, jint d, jint mode, jbyteArray dir) {
    (void)cls;
    input in;
    if (!copy_in(env, dir, "dir", &in)) return NULL;
    zkp_result res = zkp_ceremony_init(b, d, mode, in.data, in.len);
    free(in.data);
    return finish(env, res);
}

JNIEXPORT jbyteArray JNI_FN(ceremonyContribute)(JNIEnv *env, jclass cls, jbyteArray dir, jbyteArray name) {
    (void)cls;
    const jbyteArray arrs[] = {dir, name};
    const char *const names[] = {"dir", "name"};
    input in[2];
    if (!copy_all(env, 2, arrs, names, in)) return NULL;
    zkp_result res = zkp_ceremony_contribute(in[0].data, in[0].len, in[1].data, in[1].len);
    free_all(2, in);
    return finish(env, res);
}

JNIEXPORT jbyteArray JNI_FN(ceremonySealPhase1)(JNIEnv *env, jclass cls, jbyteArray dir, jbyteArray beacon) {
    (void)cls;
    const jbyteArray arrs[] = {dir, beacon};
    const char *const names[] = {"dir", "beacon"};
    input in[2];
    if (!copy_all(env, 2, arrs, names, in)) return NULL;
    zkp_result res = zkp_ceremony_seal_phase1(in[0].data, in[0].len, in[1].data, in[1].len);
    free_all(2, in);
    return finish(env, res);
}

JNIEXPORT jbyteArray JNI_FN(ceremonyFinalize)(JNIEnv *env, jclass cls, jbyteArray dir, jbyteArray beacon, jbyteArray keyDir) {
    (void)cls;
    const jbyteArray arrs[] = {dir, beacon, keyDir};
    const char *const names[] = {"dir", "beacon", "keyDir"};
    input in[3];
    if (!copy_all(env, 3, arrs, names, in)) return NULL;
    zkp_result res = zkp_ceremony_finalize(in[0].data, in[0].len, in[1].data, in[1].len, in[2].data, in[2].len);
    free_all(3, in);
    return finish(env, res);
}

/* keyDir, beacon1 and beacon2 may be empty arrays: not checked. */
JNIEXPORT jbyteArray JNI_FN(ceremonyVerify)(JNIEnv *env, jclass cls, jbyteArray dir, jbyteArray keyDir, jbyteArray beacon1,
                                            jbyteArray beacon2) {
    (void)cls;
    const jbyteArray arrs[] = {dir, keyDir, beacon1, beacon2};
    const char *const names[] = {"dir", "keyDir", "beacon1", "beacon2"};
    input in[4];
    if (!copy_all(env, 4, arrs, names, in)) return NULL;
    zkp_result res = zkp_ceremony_verify(in[0].data, in[0].len, in[1].data, in[1].len, in[2].data, in[2].len, in[3].data, in[3].len);
    free_all(4, in);
    return finish(env, res);
}

#ifdef ZKP_FAULT_INJECTION
/*
 * ---- Test hooks: only in the faultinject build ----
 * bridge/faultinject.go (build tag faultinject) defines ZKP_FAULT_INJECTION
 * and the exports below; the production library has neither. Java declares
 * them in the test class io.zkrollup.prover.nativebridge.FaultInjection.
 */
#define JNI_TEST_FN(name) JNICALL Java_io_zkrollup_prover_nativebridge_FaultInjection_##name

JNIEXPORT void JNI_TEST_FN(diagnosticPanic)(JNIEnv *env, jclass cls, jint kind) {
    (void)cls;
    finish(env, zkp_diagnostic_panic(kind));
}

JNIEXPORT void JNI_TEST_FN(holdHandle)(JNIEnv *env, jclass cls, jlong handle, jint millis) {
    (void)cls;
    finish(env, zkp_diagnostic_hold_handle(handle, millis));
}
#endif
