# Write a function to check if a binary tree is balanced or not.
class Node: 
    def __init__(self, data): 
        self.data = data 
        self.left = None
        self.right = None
def get_height(root): 
    if root is None: 
        return 0
    return max(get_height(root.left), get_height(root.right)) + 1
def is_tree_balanced(root): 
    if root is None: 
        return True
    lh = get_height(root.left) 
    rh = get_height(root.right) 
    if (abs(lh - rh) <= 1) and is_tree_balanced( 
    root.left) is True and is_tree_balanced( root.right) is True: 
        return True
    return False


# Write a function to repeat the given tuple n times.
def repeat_tuples(test_tup, N):
  res = ((test_tup, ) * N)
  return (res)


# Write a function to find the lateral surface area of cuboid
def lateralsurface_cuboid(l,w,h):
  LSA = 2*h*(l+w)
  return LSA
