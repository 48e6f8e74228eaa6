# Sourced by the checks that open editors under X (editorhost-test.sh, pluginval-test.sh):
# start_private_xvfb starts an Xvfb of its own on a free display, exports DISPLAY and sets
# xvfb_pid (the caller's EXIT trap kills it), and waits until the server answers the test host
# ($testhost --x-intern). Where it cannot, it calls the caller's skip_all with the reason.
start_private_xvfb() {
  # A free display number: no lock file and no socket.
  local display="" n
  for n in $(seq 150 250); do
    if [[ ! -e "/tmp/.X$n-lock" && ! -e "/tmp/.X11-unix/X$n" ]]; then display=":$n"; break; fi
  done
  [[ -n "$display" ]] || skip_all "no free X display number"
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
  xvfb_pid=$!
  export DISPLAY="$display"
  local ready=0
  for _ in $(seq 1 120); do
    if "$testhost" --x-intern >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.5
  done
  [[ $ready == 1 ]] || skip_all "Xvfb did not start on $display"
}
