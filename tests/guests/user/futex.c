/* Guest test: futex operations beyond WAIT/WAKE: WAKE_OP (each operation and comparison,
 * the shifted argument, a waiter woken or not by the comparison), WAIT_BITSET with an
 * absolute deadline, WAKE_BITSET, CMP_REQUEUE's value check, and the PI operations through
 * glibc's priority-inheriting mutexes (contention, trylock, timedlock, a robust mutex whose
 * owner died) and directly (TRYLOCK_PI, UNLOCK_PI by a non-owner). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long futex(uint32_t *uaddr, int op, uint32_t val, long val2, uint32_t *uaddr2, uint32_t val3)
{
    return syscall(SYS_futex, uaddr, op, val, val2, uaddr2, val3);
}

static void wake_op_values(void)
{
    static const struct { const char *name; int op; int arg; } ops[] = {
        { "SET 7", FUTEX_OP_SET, 7 }, { "ADD -3", FUTEX_OP_ADD, -3 }, { "OR 0x30", FUTEX_OP_OR, 0x30 },
        { "ANDN 0x10", FUTEX_OP_ANDN, 0x10 }, { "XOR 0x5", FUTEX_OP_XOR, 0x5 },
    };
    uint32_t f1 = 0, f2 = 0;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        long r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &f2, FUTEX_OP(ops[i].op, ops[i].arg, FUTEX_OP_CMP_EQ, 0));
        printf("WAKE_OP %s: %ld, word %#x\n", ops[i].name, r, f2);
    }
    long r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &f2,
                   FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 12, FUTEX_OP_CMP_EQ, 0));
    printf("WAKE_OP OR 1<<12: %ld, word %#x\n", r, f2);
    r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &f2, 6u << 28);
    printf("WAKE_OP bad op: %ld %s\n", r, strerrorname_np(errno));
    r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, 1, (uint32_t *)8, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0));
    printf("WAKE_OP bad address: %ld %s\n", r, strerrorname_np(errno));
}

static uint32_t word2;
static volatile int waiter_done;

static void *waiter(void *arg)
{
    (void)arg;
    while (__atomic_load_n(&word2, __ATOMIC_SEQ_CST) == 0)
        futex(&word2, FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0);
    waiter_done = 1;
    return NULL;
}

static void wake_op_waiter(void)
{
    uint32_t f1 = 0;
    pthread_t th;
    pthread_create(&th, NULL, waiter, NULL);
    usleep(50000);
    /* The old value 0 is not greater than 0: nobody is woken. */
    long r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word2, FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_GT, 0));
    printf("WAKE_OP, comparison false: %ld\n", r);
    /* Set the word to 1 and wake the waiter when it was 0; retried until it slept. */
    int tries = 0;
    do {
        r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word2, FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_LT, 1));
        if (r == 0) {
            word2 = 0;
            usleep(1000);
        }
    } while (r == 0 && ++tries < 5000);
    pthread_join(th, NULL);
    printf("WAKE_OP, comparison true: %ld, waiter done %d\n", r, waiter_done);
}

static void bitsets(void)
{
    uint32_t w = 5;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    now.tv_nsec += 20000000;
    if (now.tv_nsec >= 1000000000) {
        now.tv_sec++;
        now.tv_nsec -= 1000000000;
    }
    long r = futex(&w, FUTEX_WAIT_BITSET_PRIVATE, 5, (long)&now, NULL, 0x4);
    printf("WAIT_BITSET until a deadline: %ld %s\n", r, strerrorname_np(errno));
    r = futex(&w, FUTEX_WAIT_BITSET_PRIVATE, 6, (long)&now, NULL, 0x4);
    printf("WAIT_BITSET other value: %ld %s\n", r, strerrorname_np(errno));
    r = futex(&w, FUTEX_WAKE_BITSET_PRIVATE, 1, 0, NULL, 0);
    printf("WAKE_BITSET empty set: %ld %s\n", r, strerrorname_np(errno));
    r = futex(&w, FUTEX_WAKE_BITSET_PRIVATE, 1, 0, NULL, 0x4);
    printf("WAKE_BITSET: %ld\n", r);
    uint32_t w2 = 0;
    r = futex(&w, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &w2, 4);
    printf("CMP_REQUEUE other value: %ld %s\n", r, strerrorname_np(errno));
    r = futex(&w, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &w2, 5);
    printf("CMP_REQUEUE: %ld\n", r);
}

static pthread_mutex_t pi;
static long counter;

static void *contend(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&pi);
        counter++;
        pthread_mutex_unlock(&pi);
    }
    return NULL;
}

static void *hold_briefly(void *arg)
{
    pthread_mutex_lock(&pi);
    *(volatile int *)arg = 1;
    usleep(100000);
    pthread_mutex_unlock(&pi);
    return NULL;
}

static pthread_mutex_t robust;

static void *die_holding(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&robust);
    return NULL;
}

static void pi_mutexes(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&pi, &a);

    pthread_t th[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&th[i], NULL, contend, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(th[i], NULL);
    printf("PI mutex, 3 threads: counter %ld\n", counter);

    volatile int held = 0;
    pthread_create(&th[0], NULL, hold_briefly, (void *)&held);
    while (!held)
        usleep(1000);
    printf("trylock while held: %s\n", strerrorname_np(pthread_mutex_trylock(&pi)));
    struct timespec soon;
    clock_gettime(CLOCK_REALTIME, &soon);
    soon.tv_nsec += 10000000;
    if (soon.tv_nsec >= 1000000000) {
        soon.tv_sec++;
        soon.tv_nsec -= 1000000000;
    }
    printf("timedlock while held: %s\n", strerrorname_np(pthread_mutex_timedlock(&pi, &soon)));
    printf("lock, waiting for the holder: %d\n", pthread_mutex_lock(&pi));
    pthread_join(th[0], NULL);
    printf("unlock: %d\n", pthread_mutex_unlock(&pi));

    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &a);
    pthread_create(&th[0], NULL, die_holding, NULL);
    pthread_join(th[0], NULL);
    int r = pthread_mutex_lock(&robust);
    printf("robust PI mutex after its owner died: %s\n", strerrorname_np(r));
    printf("consistent: %d unlock: %d\n", pthread_mutex_consistent(&robust), pthread_mutex_unlock(&robust));
    printf("lock again: %d\n", pthread_mutex_lock(&robust));
    pthread_mutex_unlock(&robust);
}

static void pi_direct(void)
{
    uint32_t w = 0;
    long r = futex(&w, FUTEX_TRYLOCK_PI_PRIVATE, 0, 0, NULL, 0);
    printf("TRYLOCK_PI free: %ld, owner is me %d\n", r, w == (uint32_t)gettid());
    r = futex(&w, FUTEX_TRYLOCK_PI_PRIVATE, 0, 0, NULL, 0);
    printf("TRYLOCK_PI mine: %ld %s\n", r, strerrorname_np(errno));
    r = futex(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, NULL, 0);
    printf("UNLOCK_PI: %ld, word %#x\n", r, w);
    w = 1;      /* some other owner */
    r = futex(&w, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, NULL, 0);
    printf("UNLOCK_PI not mine: %ld %s\n", r, strerrorname_np(errno));
}

int main(void)
{
    wake_op_values();
    wake_op_waiter();
    bitsets();
    pi_mutexes();
    pi_direct();
    return 0;
}
