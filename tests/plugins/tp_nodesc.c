/* Test plugin: a shared object without the emu_plugin descriptor. */
int tp_nodesc_something(void);
int tp_nodesc_something(void)
{
    return 42;
}
