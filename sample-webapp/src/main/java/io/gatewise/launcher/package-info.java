/** The command line: {@code java -jar gatewise.jar [--config FILE | --check-config FILE] [--port N]}. */
package io.gatewise.launcher;
